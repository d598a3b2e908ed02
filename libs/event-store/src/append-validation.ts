import { EventTooLargeError, MAX_EVENT_BYTES, type EventToAppend } from '@asiointitili/core';

/**
 * Checks that hold for every adapter before anything is sent: they are programming errors of the
 * caller, not conflicts, so they throw a plain Error and never a ConcurrencyError; an event over
 * MAX_EVENT_BYTES throws EventTooLargeError.
 */
export function assertAppendable(stream: string, events: readonly EventToAppend[], serialized?: ReadonlyArray<{ readonly data: string; readonly metadata: string }>): void {
  if (stream.length === 0) throw new Error('append: the stream name is empty');
  // An empty append has no last event whose revision and position the port could return;
  // a command that decides nothing (an idempotent repeat) simply does not append.
  if (events.length === 0) throw new Error(`append to ${stream}: no events (a command that decides nothing must not append)`);
  const seen = new Set<string>();
  events.forEach((event, index) => {
    if (seen.has(event.id)) throw new Error(`append to ${stream}: event id ${event.id} occurs twice in one append`);
    seen.add(event.id);
    // An adapter that stores the JSON it measured passes it in (`serialized`), so it is made once.
    const row = serialized?.[index] ?? { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
    const bytes = Buffer.byteLength(row.data) + Buffer.byteLength(row.metadata);
    if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(stream, event.type, bytes);
  });
}
