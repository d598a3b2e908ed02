import {
  GENESIS_HASH,
  deterministicUuid,
  eventHash,
  type EventMetadata,
  type EventToAppend,
} from '@asiointitili/core';

/**
 * Test events shaped like the command handler's: deterministic ids, full metadata and a valid hash
 * chain, with data that exercises JSON round-trips (nesting, non-ASCII text, numbers, null).
 */
export interface ChainPosition {
  /** Revision the first new event will get. */
  readonly revision: bigint;
  /** Hash of the stream's last event (GENESIS_HASH for a new stream). */
  readonly prevHash: string;
}

export const START_OF_STREAM: ChainPosition = { revision: 0n, prevHash: GENESIS_HASH };

export function chainedEvents(stream: string, count: number, from: ChainPosition = START_OF_STREAM, seed = 'test'): EventToAppend[] {
  const events: EventToAppend[] = [];
  let prevHash = from.prevHash;
  for (let index = 0; index < count; index++) {
    const revision = from.revision + BigInt(index);
    const id = deterministicUuid(seed, stream, revision.toString());
    const type = index % 2 === 0 ? 'TestFactRecorded' : 'TestFactAmended';
    const data = {
      sequence: Number(revision),
      title: 'Päätös asiaan €5 – ✓',
      nested: { list: [1, 2.5, -3, true, null, 'x'], empty: {} },
    };
    const unsigned: Omit<EventMetadata, 'hash'> = {
      actor: { type: 'agency', id: 'agency-test', method: 'client-credentials' },
      correlationId: deterministicUuid(seed, 'correlation', stream),
      causationId: deterministicUuid(seed, 'causation', stream, revision.toString()),
      occurredAt: '2025-03-01T10:00:00.000Z',
      schemaVersion: 1,
      prevHash,
    };
    const hash = eventHash({ stream, revision, id, type, data, metadata: unsigned });
    events.push({ id, type, data, metadata: { ...unsigned, hash } });
    prevHash = hash;
  }
  return events;
}

