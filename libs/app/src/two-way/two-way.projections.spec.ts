import type { Doc, RecordedEvent } from '@asiointitili/core';
import type { ApplicationSubmitted, AttachmentRef, MessageKind, MessageSent, ReplySent } from '@asiointitili/domain';
import { attachmentUsesProjection } from '../attachments/attachment-uses.projection';
import type { AttachmentUseDoc } from '../attachments/attachment-records';
import { Collections } from '../read/projections/collections';
import { messagesProjection } from '../read/projections/messages.projection';
import type { MessageDoc } from '../read/projections/messages.projection';
import type { ProjectionBatch } from '../read/projections/projection';
import type { ApplicationDoc } from './applications.projection';
import { applicationsProjection } from './applications.projection';
import { threadItemsProjection, type ThreadItemDoc } from './thread-items.projection';

/** The read models in memory: what the projections write, keyed by collection and id. */
class MemoryBatch implements ProjectionBatch {
  readonly docs = new Map<string, Map<string, Doc>>();
  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return (this.docs.get(collection)?.get(id) as T | undefined) ?? null;
  }
  put(collection: string, doc: Doc): void {
    if (!this.docs.has(collection)) this.docs.set(collection, new Map());
    this.docs.get(collection)!.set(doc.id, structuredClone(doc));
  }
  delete(collection: string, id: string): void {
    this.docs.get(collection)?.delete(id);
  }
  all<T extends Doc>(collection: string): T[] {
    return [...(this.docs.get(collection)?.values() ?? [])] as T[];
  }
}

const PROJECTIONS = [messagesProjection, threadItemsProjection, applicationsProjection, attachmentUsesProjection];
const PDF: AttachmentRef = { id: 'upload-pdf', name: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) };

let position = 0n;
function recorded(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1n;
  return {
    id: `e-${position}`,
    stream: 'x',
    type,
    data,
    revision: 0n,
    position,
    metadata: { actor: { type: 'system', id: 'spec' }, correlationId: 'c', causationId: 'c', occurredAt: `2026-03-02T08:00:${String(position).padStart(2, '0')}.000Z`, schemaVersion: 1, prevHash: '', hash: '' },
  } as RecordedEvent;
}

const submitted = (applicationId: string, attachments: AttachmentRef[] = [], citizenRef = 'c_maija'): RecordedEvent =>
  recorded('ApplicationSubmitted', {
    applicationId,
    citizenRef,
    agencyId: 'kela',
    subject: 'TO1',
    body: '',
    attachments,
    submittedAt: '2026-03-02T08:00:00.000Z',
  } satisfies ApplicationSubmitted['data']);

const sent = (messageId: string, kind: MessageKind, inReplyTo?: string, citizenRef = 'c_maija', attachments: AttachmentRef[] = []): RecordedEvent =>
  recorded('MessageSent', {
    messageId,
    agencyId: 'kela',
    citizenRef,
    kind,
    delivery: 'ordinary',
    subject: 's',
    body: 'b',
    attachments,
    replyAllowed: true,
    ...(inReplyTo ? { inReplyTo } : {}),
    route: 'electronic',
    sentAt: '2026-03-02T09:00:00.000Z',
    contentSha256: 'c'.repeat(64),
  } satisfies MessageSent['data']);

const replied = (messageId: string, replyId: string, attachments: AttachmentRef[] = []): RecordedEvent =>
  recorded('ReplySent', { messageId, replyId, body: 'vastaus', attachments, sentAt: '2026-03-02T10:00:00.000Z' } satisfies ReplySent['data']);

async function apply(batch: MemoryBatch, ...events: RecordedEvent[]): Promise<void> {
  for (const event of events) for (const projection of PROJECTIONS) await projection.apply(event, batch);
}

describe('the two-way read models', () => {
  it('threads an information request, the reply and the decision under the application they answer', async () => {
    const batch = new MemoryBatch();
    await apply(batch, submitted('a-1', [PDF]), sent('m-request', 'information-request', 'a-1'), replied('m-request', 'r-1'), sent('m-decision', 'decision', 'm-request'));
    const items = batch.all<ThreadItemDoc>(Collections.threadItems).sort((x, y) => x.seq.localeCompare(y.seq));
    expect(items.map((i) => [i.kind, i.id, i.threadId])).toEqual([
      ['application', 'a-1', 'a-1'],
      ['message', 'm-request', 'a-1'],
      ['reply', 'r-1', 'a-1'],
      ['message', 'm-decision', 'a-1'],
    ]);
    expect(items[2]).toMatchObject({ messageId: 'm-request', agencyId: 'kela', citizenRef: 'c_maija' });
  });

  it('moves the application’s status along its thread', async () => {
    const batch = new MemoryBatch();
    const status = async () => (await batch.get<ApplicationDoc>(Collections.applications, 'a-1'))?.status;
    await apply(batch, submitted('a-1'));
    expect(await status()).toBe('submitted');
    await apply(batch, sent('m-request', 'information-request', 'a-1'));
    expect(await status()).toBe('information-requested');
    await apply(batch, replied('m-request', 'r-1'));
    expect(await status()).toBe('information-provided');
    await apply(batch, sent('m-decision', 'decision', 'm-request'));
    expect(await status()).toBe('decided');
  });

  it('starts a new thread for a message that answers nothing, or another citizen’s item', async () => {
    const batch = new MemoryBatch();
    await apply(batch, submitted('a-matti', [], 'c_matti'), sent('m-alone', 'notice'), sent('m-stranger', 'notice', 'a-matti'));
    expect((await batch.get<ThreadItemDoc>(Collections.threadItems, 'm-alone'))?.threadId).toBe('m-alone');
    expect((await batch.get<ThreadItemDoc>(Collections.threadItems, 'm-stranger'))?.threadId).toBe('m-stranger');
    expect((await batch.get<ApplicationDoc>(Collections.applications, 'a-matti'))?.status).toBe('submitted');
  });

  it('keeps each reply with its body and attachments on the message document', async () => {
    const batch = new MemoryBatch();
    await apply(batch, sent('m-1', 'information-request'), replied('m-1', 'r-1', [PDF]), replied('m-1', 'r-2'));
    const message = await batch.get<MessageDoc>(Collections.messages, 'm-1');
    expect(message?.replies).toEqual([
      { id: 'r-1', sentAt: '2026-03-02T10:00:00.000Z', body: 'vastaus', attachments: [PDF] },
      { id: 'r-2', sentAt: '2026-03-02T10:00:00.000Z', body: 'vastaus', attachments: [] },
    ]);
  });

  it('records every use of an attachment, with the parties, from the events that reference it', async () => {
    const batch = new MemoryBatch();
    const reused = { ...PDF, id: 'upload-twice' };
    await apply(batch, submitted('a-1', [PDF]), sent('m-1', 'information-request', 'a-1', 'c_maija', [reused]), replied('m-1', 'r-1', [reused]));
    const uses = batch.all<AttachmentUseDoc>(Collections.attachmentUses).map((u) => [u.attachmentId, u.usedBy, u.agencyId, u.citizenRef]);
    expect(uses).toEqual([
      ['upload-pdf', 'application:a-1', 'kela', 'c_maija'],
      ['upload-twice', 'm-1', 'kela', 'c_maija'],
      ['upload-twice', 'reply:m-1:r-1', 'kela', 'c_maija'],
    ]);
  });

  it('changes nothing when an event is applied again (a replayed batch)', async () => {
    const batch = new MemoryBatch();
    const events = [submitted('a-1', [PDF]), sent('m-request', 'information-request', 'a-1'), replied('m-request', 'r-1')];
    await apply(batch, ...events);
    const before = structuredClone([...batch.docs.entries()].map(([name, docs]) => [name, [...docs.entries()]]));
    await apply(batch, ...events);
    expect([...batch.docs.entries()].map(([name, docs]) => [name, [...docs.entries()]])).toEqual(before);
  });
});
