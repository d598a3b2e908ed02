import { ConcurrencyError, type AppendResult, type EventToAppend, type ExpectedRevision } from '@asiointitili/core';

/** An append() waiting for the adapter's next group-commit transaction. */
export interface PendingAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Where an already stored event is. */
export interface StoredEventLocation {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
}

/** Whether an append with `expected` may go onto a stream whose last revision is `actual`. */
export function revisionMatches(expected: ExpectedRevision, actual: bigint | 'no-stream'): boolean {
  if (expected === 'any') return true;
  return expected === actual;
}

/**
 * For an append some of whose event ids are already stored (`stored[i]` is where the i-th event
 * is, or undefined): a retried append (the same command, hence the same deterministic event ids)
 * whose events are stored at exactly the positions it asked for returns the original result, as
 * EventStoreDB's idempotent writes do. Anything else with known ids (only some of them, another
 * stream or other revisions, an expected revision that cannot have produced them) is a conflict.
 * Shared by the adapters that implement idempotency themselves (embedded, PostgreSQL).
 */
export function idempotentResult(
  stream: string,
  expected: ExpectedRevision,
  stored: ReadonlyArray<StoredEventLocation | undefined>,
  actual: bigint | 'no-stream',
): AppendResult {
  const conflict = new ConcurrencyError(stream, expected, actual);
  const first = stored[0];
  if (!first || first.stream !== stream) throw conflict;
  const sameLayout = stored.every(
    (location, index) => location !== undefined && location.stream === stream && location.revision === first.revision + BigInt(index),
  );
  if (!sameLayout || !revisionMatches(expected, first.revision === 0n ? 'no-stream' : first.revision - 1n)) throw conflict;
  const last = stored[stored.length - 1]!;
  return { lastRevision: last.revision, position: last.position };
}
