import {
  ANY,
  NO_STREAM,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError, type EventMetadata, type EventToAppend, type ExpectedRevision, type RecordedEvent } from '@asiointitili/core';

/**
 * Translation between the port's events and EventStoreDB's.
 *
 * Metadata: the port's metadata is stored as given (the hash chain covers it byte for byte after
 * canonicalisation), plus `$correlationId` and `$causationId`, which EventStoreDB's own tooling
 * and system projections understand. Keys starting with `$` belong to EventStoreDB, never to the
 * port, so they are stripped when reading back and the metadata round-trips exactly.
 *
 * Position: the port's global position is the commit position. Every gRPC append is an implicit
 * transaction in which each event has its own log record, so commit positions are unique per
 * event and increase in $all order (only the legacy TCP explicit transactions shared one).
 */

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected === 'bigint') return expected;
  return expected === 'no-stream' ? NO_STREAM : ANY;
}

export function fromEsdbCurrentRevision(actual: CurrentRevision): bigint | 'no-stream' {
  return actual === NO_STREAM ? 'no-stream' : actual;
}

/** WrongExpectedVersionError → the port's ConcurrencyError, keeping what the server saw. */
export function toConcurrencyError(stream: string, expected: ExpectedRevision, actual: CurrentRevision): ConcurrencyError {
  return new ConcurrencyError(stream, expected, fromEsdbCurrentRevision(actual));
}

export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: { ...event.data },
    metadata: {
      ...event.metadata,
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
    },
  });
}

/**
 * The port's event from a read or subscription result; null when the result holds no event
 * (a link whose target was deleted).
 */
export function fromResolvedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event) return null;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a position (server too old?)`);
  }
  return {
    stream: event.streamId,
    revision: event.revision,
    position,
    id: event.id,
    type: event.type,
    data: asJsonObject(event.data, `data of event ${event.id}`),
    metadata: withoutEsdbKeys(asJsonObject(event.metadata, `metadata of event ${event.id}`)) as unknown as EventMetadata,
  };
}

function withoutEsdbKeys(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith('$')));
}

/** JSON events arrive parsed; anything else (binary, or JSON that is not an object) is not one of ours. */
function asJsonObject(value: unknown, what: string): Readonly<Record<string, unknown>> {
  const parsed = value instanceof Uint8Array ? (JSON.parse(Buffer.from(value).toString('utf8')) as unknown) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`EventStoreDB returned ${what} that is not a JSON object`);
  }
  return parsed as Readonly<Record<string, unknown>>;
}
