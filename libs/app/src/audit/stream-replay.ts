import type { EventStore, RecordedEvent } from '@asiointitili/core';
import { parseStream, replaySteps } from '@asiointitili/domain';
import { toDomainEvent } from '../write/command-executor';

export interface ReplayStepView {
  readonly event: { readonly revision: string; readonly position: string; readonly type: string; readonly occurredAt: string; readonly data: unknown };
  readonly state: unknown;
}

/** `until` is an ISO 8601 instant (events that occurred at or before it) or a revision number (inclusive). */
export type ReplayLimit = { readonly kind: 'time'; readonly at: string } | { readonly kind: 'revision'; readonly revision: bigint } | { readonly kind: 'none' };

export function parseReplayLimit(until: string | undefined): ReplayLimit | null {
  if (until === undefined || until === '') return { kind: 'none' };
  if (/^\d{1,19}$/.test(until)) return { kind: 'revision', revision: BigInt(until) };
  const ms = Date.parse(until);
  if (/^\d{4}-\d{2}-\d{2}T/.test(until) && !Number.isNaN(ms)) return { kind: 'time', at: new Date(ms).toISOString() };
  return null;
}

/**
 * Folds a stream through the domain's own `evolve` (libs/domain replay), step by step, so an
 * auditor sees exactly what the system knew after each event. Null for a stream the domain does
 * not know or that has no events.
 */
export async function replayStream(events: EventStore, stream: string, limit: ReplayLimit): Promise<ReplayStepView[] | null> {
  const parsed = parseStream(stream);
  if (!parsed) return null;
  const history = await events.readStream(stream);
  if (history.length === 0) return null;
  const included = history.filter((event) => within(event, limit));
  const steps = replaySteps(parsed.category, included.map((e) => toDomainEvent(e)));
  return steps.map((step, i) => {
    const event = included[i]!;
    return {
      event: { revision: event.revision.toString(), position: event.position.toString(), type: event.type, occurredAt: event.metadata.occurredAt, data: event.data },
      state: step.state,
    };
  });
}

function within(event: RecordedEvent, limit: ReplayLimit): boolean {
  switch (limit.kind) {
    case 'none':
      return true;
    case 'revision':
      return event.revision <= limit.revision;
    case 'time':
      return event.metadata.occurredAt <= limit.at;
  }
}
