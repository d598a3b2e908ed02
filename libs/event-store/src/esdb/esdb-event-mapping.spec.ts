import { ANY, NO_STREAM, type AllStreamResolvedEvent, type JSONEventData } from '@eventstore/db-client';
import { ConcurrencyError, verifyChain } from '@asiointitili/core';
import { chainedEvents } from '../testing/chained-events';
import { fromResolvedEvent, toConcurrencyError, toEsdbExpectedRevision, toEventData } from './esdb-event-mapping';

/** What the server would hand back for an appended event (the client parses JSON data and metadata). */
function asStored(data: JSONEventData, stream: string, revision: bigint, position: bigint): AllStreamResolvedEvent {
  return {
    event: {
      streamId: stream,
      id: data.id,
      isJson: true,
      revision,
      type: data.type,
      created: new Date(0),
      data: JSON.parse(JSON.stringify(data.data)) as Record<string, unknown>,
      metadata: JSON.parse(JSON.stringify(data.metadata)) as Record<string, unknown>,
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  };
}

describe('EventStoreDB event mapping', () => {
  it('maps the expected revisions to the client constants and keeps bigint revisions', () => {
    expect(toEsdbExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
  });

  it("turns a wrong expected version into a ConcurrencyError with the server's actual revision", () => {
    const missing = toConcurrencyError('message-1', 3n, NO_STREAM);
    expect(missing).toBeInstanceOf(ConcurrencyError);
    expect(missing.actual).toBe('no-stream');
    expect(toConcurrencyError('message-1', 'no-stream', 7n).actual).toBe(7n);
  });

  it('stores the metadata as given plus $correlationId and $causationId for EventStoreDB tooling', () => {
    const [event] = chainedEvents('message-meta', 1);
    const data = toEventData(event!) as JSONEventData;
    expect(data.id).toBe(event!.id);
    expect(data.contentType).toBe('application/json');
    expect(data.metadata).toEqual({
      ...event!.metadata,
      $correlationId: event!.metadata.correlationId,
      $causationId: event!.metadata.causationId,
    });
  });

  it('reads back exactly the appended event, without the $ keys, so the chain still verifies', () => {
    const stream = 'message-roundtrip';
    const events = chainedEvents(stream, 3);
    const read = events.map((event, index) => fromResolvedEvent(asStored(toEventData(event) as JSONEventData, stream, BigInt(index), 2n ** 60n + BigInt(index)))!);
    expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(events);
    expect(read.map((event) => event.position)).toEqual([2n ** 60n, 2n ** 60n + 1n, 2n ** 60n + 2n]);
    expect(verifyChain(read)).toBeNull();
  });

  it('parses metadata that arrives as bytes and refuses data that is not a JSON object', () => {
    const [event] = chainedEvents('message-bytes', 1);
    const stored = asStored(toEventData(event!) as JSONEventData, 'message-bytes', 0n, 10n);
    const bytes = { ...stored, event: { ...stored.event!, metadata: Buffer.from(JSON.stringify(stored.event!.metadata)) } } as AllStreamResolvedEvent;
    expect(fromResolvedEvent(bytes)!.metadata).toEqual(event!.metadata);
    const notObject = { ...stored, event: { ...stored.event!, data: 'text' } } as AllStreamResolvedEvent;
    expect(() => fromResolvedEvent(notObject)).toThrow(/not a JSON object/);
  });

  it('skips a resolved result without an event (a link to a deleted event)', () => {
    expect(fromResolvedEvent({ commitPosition: 5n })).toBeNull();
  });
});
