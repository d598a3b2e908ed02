import type { Doc, RecordedEvent } from '@asiointitili/core';
import { Collections } from './collections';
import { inboxItemsProjection, type InboxItemDoc } from './inbox-items.projection';
import type { MessageDoc } from './messages.projection';
import type { ProjectionBatch } from './projection';

/** A batch over an in-memory store that records what the projection writes. */
class MemoryBatch implements ProjectionBatch {
  readonly docs = new Map<string, Doc>();
  readonly writes: string[] = [];
  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return (this.docs.get(`${collection}/${id}`) as T | undefined) ?? null;
  }
  put(collection: string, doc: Doc): void {
    this.writes.push(`put ${collection}/${doc.id}`);
    this.docs.set(`${collection}/${doc.id}`, doc);
  }
  delete(collection: string, id: string): void {
    this.writes.push(`delete ${collection}/${id}`);
    this.docs.delete(`${collection}/${id}`);
  }
}

const event = (type: string, position: bigint): RecordedEvent => ({ type, position, data: { messageId: 'm1' } }) as unknown as RecordedEvent;

function messageDoc(lastPosition: string, inInbox: boolean, citizenState: MessageDoc['citizenState'] = 'unread'): MessageDoc {
  return {
    id: 'm1', agencyId: 'kela', citizenRef: 'c_maija', inInbox, sentAt: '2026-11-24T10:00:00.000Z', citizenState, agencyState: 'sent', trail: [], replies: [], lastPosition,
    state: { exists: true, message: { kind: 'decision', delivery: 'registered', subject: 'Päätös', acknowledgeBy: '2026-12-01T10:00:00.000Z', replyBy: '2026-12-10' } },
  } as unknown as MessageDoc;
}

describe('inbox items projection', () => {
  it('writes the inbox line of a message in the inbox, with the acknowledgement still required of a registered unread one', async () => {
    const batch = new MemoryBatch();
    batch.put(Collections.messages, messageDoc('00000000000000000005', true));
    await inboxItemsProjection.apply(event('MessageSent', 5n), batch);
    expect(await batch.get<InboxItemDoc>(Collections.inboxItems, 'm1')).toEqual({
      id: 'm1', citizenRef: 'c_maija', agencyId: 'kela', kind: 'decision', delivery: 'registered', subject: 'Päätös', citizenState: 'unread', sentAt: '2026-11-24T10:00:00.000Z',
      acknowledgementRequired: true, acknowledgeBy: '2026-12-01T10:00:00.000Z', replyBy: '2026-12-10', confidential: false, lastPosition: '00000000000000000005',
      deemedServedOn: undefined, deemedServedAt: undefined, acknowledgedAt: undefined, appealEndsOn: undefined,
    });
  });

  it('writes nothing again for an event the message document has already seen (idempotent by lastPosition)', async () => {
    const batch = new MemoryBatch();
    batch.put(Collections.messages, messageDoc('00000000000000000005', true));
    await inboxItemsProjection.apply(event('MessageSent', 5n), batch);
    await inboxItemsProjection.apply(event('MessageSent', 5n), batch);
    expect(batch.writes.filter((w) => w.startsWith(`put ${Collections.inboxItems}`))).toHaveLength(1);
  });

  it('deletes the inbox line when the message leaves the inbox, and writes none for a message never in it', async () => {
    const batch = new MemoryBatch();
    batch.put(Collections.messages, messageDoc('00000000000000000005', true));
    await inboxItemsProjection.apply(event('MessageSent', 5n), batch);
    batch.put(Collections.messages, messageDoc('00000000000000000007', false));
    await inboxItemsProjection.apply(event('MessageCancelled', 7n), batch);
    expect(await batch.get(Collections.inboxItems, 'm1')).toBeNull();
    const never = new MemoryBatch();
    never.put(Collections.messages, messageDoc('00000000000000000003', false));
    await inboxItemsProjection.apply(event('MessageRoutedToPaper', 3n), never);
    expect(never.writes.filter((w) => w.includes(Collections.inboxItems))).toEqual([]);
  });

  it('follows the citizen state, and ignores events that are not about a message', async () => {
    const batch = new MemoryBatch();
    batch.put(Collections.messages, messageDoc('00000000000000000009', true, 'acknowledged'));
    await inboxItemsProjection.apply(event('AccountOpened', 9n), batch);
    expect(await batch.get(Collections.inboxItems, 'm1')).toBeNull();
    await inboxItemsProjection.apply(event('ReceiptAcknowledged', 9n), batch);
    expect(await batch.get<InboxItemDoc>(Collections.inboxItems, 'm1')).toMatchObject({ citizenState: 'acknowledged', acknowledgementRequired: false, acknowledgeBy: undefined });
  });
});
