import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc, RecordedEvent } from '@asiointitili/core';
import { accountDecider, accountStream, agencyDecider, agencyStream, applicationDecider, applicationStream, messageDecider, messageStream, type OnBehalf, type SendMessage } from '@asiointitili/domain';
import { SqliteEventStore } from '@asiointitili/event-store';
import { SqliteReadStore } from '@asiointitili/read-store';
import { CommandExecutor, type CommandContext } from '../../write/command-executor';
import { Collections } from './collections';
import { READ_MODEL_PROJECTIONS, type AccountDoc, type FeedItemDoc, type InboxItemDoc, type MessageDoc } from './index';
import { ProjectionRunner } from './projection-runner';

const at = (hours: number) => new Date(Date.UTC(2026, 10, 24, 8) + hours * 3_600_000).toISOString();
const ctx = (id: string, actor: 'citizen' | 'agency' | 'admin' = 'admin') => ({ actor: { type: actor, id: `${actor}-1`, method: actor === 'citizen' ? 'bank' : undefined, assurance: actor === 'citizen' ? 'high' : undefined }, commandId: id, correlationId: id, causationId: id });
const REF = 'c_maija';
/** Contact details as the log holds them: an envelope the projection stores without opening. */
const CONTACT = { v: 1, kid: 'k1', iv: 'aXZpdml2aXZpdml2', ct: 'Y2lwaGVydGV4dA', tag: 'dGFndGFndGFndGFndGFnIQ' } as const;

function send(messageId: string, delivery: 'ordinary' | 'registered', hours: number, electronic = true, citizenRef = REF): SendMessage {
  return {
    type: 'SendMessage', messageId, agencyId: 'kela', citizenRef, externalId: `ext-${messageId}`, kind: 'decision', delivery, subject: 'Päätös', body: 'Sisältö',
    attachments: [], replyAllowed: false, recipient: electronic ? { electronic: true } : { electronic: false, paperReason: 'no-consent' }, contentSha256: 'a'.repeat(64), at: at(hours),
  };
}

/** A guardian acting for a child: the actor of what they do, and the mandate the commands carry. */
const CHILD = 'c_child';
const GUARDIAN: OnBehalf = { agentRef: 'c_guardian', mandateId: 'md-1', relation: 'guardian' };
const onBehalfCtx = (id: string): CommandContext => ({
  actor: { type: 'citizen', id: GUARDIAN.agentRef, method: 'mobile', assurance: 'substantial', actingFor: { citizenRef: CHILD, mandateId: GUARDIAN.mandateId, relation: GUARDIAN.relation } },
  commandId: id,
  correlationId: id,
  causationId: id,
});

/** Given: a small log written through the real executor (so hashes and positions are real). */
async function givenLog(executor: CommandExecutor): Promise<void> {
  await executor.execute(agencyStream('kela'), agencyDecider, { type: 'RegisterAgency', agencyId: 'kela', name: 'Kela', businessId: '0737546-2', at: at(0) }, ctx('r'));
  await executor.execute(accountStream(REF), accountDecider, { type: 'OpenAccount', citizenRef: REF, language: 'fi', contact: CONTACT, openedBy: 'citizen', at: at(1) }, ctx('o', 'citizen'));
  await executor.execute(accountStream(REF), accountDecider, { type: 'GrantConsent', citizenRef: REF, agencyId: 'kela', agencyRegistered: true, at: at(1) }, ctx('g', 'citizen'));
  await executor.execute(messageStream('m1'), messageDecider, send('m1', 'registered', 2), ctx('s1', 'agency'));
  await executor.execute(messageStream('m2'), messageDecider, send('m2', 'ordinary', 3), ctx('s2', 'agency'));
  await executor.execute(messageStream('m3'), messageDecider, send('m3', 'registered', 4, false), ctx('s3', 'agency'));
  await executor.execute(messageStream('m1'), messageDecider, { type: 'OpenMessage', messageId: 'm1', citizenRef: REF, at: at(5) }, ctx('open', 'citizen'));
  await executor.execute(messageStream('m1'), messageDecider, { type: 'AcknowledgeReceipt', messageId: 'm1', citizenRef: REF, method: 'bank', assurance: 'high', at: at(6) }, ctx('ack', 'citizen'));
  await executor.execute(messageStream('m4'), messageDecider, send('m4', 'ordinary', 7, true, CHILD), ctx('s4', 'agency'));
  await executor.execute(messageStream('m4'), messageDecider, { type: 'OpenMessage', messageId: 'm4', citizenRef: CHILD, onBehalf: GUARDIAN, at: at(7) }, onBehalfCtx('open-for'));
  await executor.execute(
    applicationStream('a1'),
    applicationDecider,
    { type: 'SubmitApplication', applicationId: 'a1', citizenRef: CHILD, agencyId: 'kela', agencyRegistered: true, subject: 'Hakemus', body: 'Haen tukea.', attachments: [], onBehalf: GUARDIAN, at: at(8) },
    onBehalfCtx('apply-for'),
  );
}

describe('read-model projections', () => {
  let dir: string;
  let events: SqliteEventStore;
  let log: RecordedEvent[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'projections-'));
    events = SqliteEventStore.open(join(dir, 'log'));
    await givenLog(new CommandExecutor(events));
    log = await events.readAll({ maxCount: 1000 });
  });
  afterAll(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function project(name: string, batches: readonly (readonly RecordedEvent[])[]): Promise<SqliteReadStore> {
    const store = new SqliteReadStore({ dataDir: join(dir, name) });
    const runner = new ProjectionRunner(events, store, READ_MODEL_PROJECTIONS);
    await store.ensureIndexes(READ_MODEL_PROJECTIONS.flatMap((p) => p.indexes));
    for (const batch of batches) await runner.applyBatch(batch);
    return store;
  }

  async function dump(store: SqliteReadStore): Promise<Record<string, Doc[]>> {
    const out: Record<string, Doc[]> = {};
    for (const collection of Object.values(Collections)) {
      out[collection] = (await store.find<Doc>(collection, { orderBy: [{ field: 'id', direction: 'asc' }], limit: 1000 })).items;
    }
    return out;
  }

  it('gives the same documents when the whole log is replayed twice (idempotent)', async () => {
    const once = await project('once', [log]);
    const twice = await project('twice', [log, log]);
    expect(await dump(twice)).toEqual(await dump(once));
    await once.close();
    await twice.close();
  });

  it('gives the same documents whether events arrive one by one or in one batch', async () => {
    const batched = await project('batched', [log]);
    const single = await project('single', log.map((e) => [e]));
    expect(await dump(single)).toEqual(await dump(batched));
    await batched.close();
    await single.close();
  });

  it('ignores a replayed older batch after newer events were applied', async () => {
    const store = await project('older', [log, log.slice(0, 4)]);
    const message = await store.get<MessageDoc>(Collections.messages, 'm1');
    expect(message?.citizenState).toBe('acknowledged');
    await store.close();
  });

  describe('given the log, then', () => {
    let store: SqliteReadStore;
    beforeAll(async () => {
      store = await project('then', [log]);
    });
    afterAll(() => store.close());

    it('keeps the account with its consents as the domain folds it', async () => {
      const account = await store.get<AccountDoc>(Collections.accounts, REF);
      expect(account).toMatchObject({ status: 'open', language: 'fi', contact: CONTACT, consents: { kela: at(1) } });
    });

    it('shows an acknowledged registered message as acknowledged to both sides, with its trail', async () => {
      const message = await store.get<MessageDoc>(Collections.messages, 'm1');
      expect(message).toMatchObject({ citizenState: 'acknowledged', agencyState: 'acknowledged', inInbox: true });
      expect(message!.trail.map((s) => s.type)).toEqual(['MessageSent', 'MessageRead', 'ReceiptAcknowledged']);
      expect(message!.trail[2]).toMatchObject({ actor: { type: 'citizen', method: 'bank', assurance: 'high' }, evidence: ['ContentHandover'] });
      expect(JSON.stringify(message!.trail)).not.toContain('Sisältö');
    });

    it('shows an ordinary message with its deemed-service date from sending (27 Nov for 24 Nov)', async () => {
      const message = await store.get<MessageDoc>(Collections.messages, 'm2');
      expect(message).toMatchObject({ citizenState: 'unread', agencyState: 'sent', deemedServedOn: '2026-11-27', deemedServedAt: '2026-11-26T22:00:00.000Z' });
    });

    it('keeps a message routed to paper out of the inbox and shows it as paper to the agency', async () => {
      const message = await store.get<MessageDoc>(Collections.messages, 'm3');
      expect(message).toMatchObject({ inInbox: false, agencyState: 'paper' });
      const inbox = await store.find<MessageDoc>(Collections.messages, { where: { citizenRef: REF, inInbox: true }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 10 });
      expect(inbox.items.map((m) => m.id)).toEqual(['m2', 'm1']);
    });

    it('keeps a slim inbox item for exactly the messages in the inbox, with the citizen state and no content', async () => {
      const items = await store.find<InboxItemDoc>(Collections.inboxItems, { where: { citizenRef: REF }, orderBy: [{ field: 'sentAt', direction: 'desc' }], limit: 10 });
      expect(items.items.map((i) => i.id)).toEqual(['m2', 'm1']);
      expect(items.items[1]).toMatchObject({ citizenState: 'acknowledged', acknowledgementRequired: false, delivery: 'registered', subject: 'Päätös', acknowledgedAt: at(6) });
      expect(items.items[0]).toMatchObject({ citizenState: 'unread', deemedServedOn: '2026-11-27', acknowledgementRequired: false });
      expect(JSON.stringify(items.items)).not.toContain('Sisältö');
      const m1 = await store.get<MessageDoc>(Collections.messages, 'm1');
      expect(items.items[1]!.lastPosition).toBe(m1!.lastPosition);
    });

    it('writes one feed item per agency-visible event, in log order, with the externalId', async () => {
      const feed = await store.find<FeedItemDoc>(Collections.agencyFeed, { where: { agencyId: 'kela' }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: 100 });
      expect(feed.items.map((i) => `${i.messageId ?? i.applicationId}:${i.type}`)).toEqual([
        'm1:sent', 'm2:sent', 'm3:sent', 'm3:routed-to-paper', 'm1:read', 'm1:acknowledged', 'm4:sent', 'm4:read', 'm4:acted-on-behalf', 'a1:application', 'a1:acted-on-behalf',
      ]);
      expect(feed.items[0]!.externalId).toBe('ext-m1');
      expect(new Set(feed.items.map((i) => i.seq)).size).toBe(feed.items.length);
    });

    it('gives each act on behalf its own feed item after the act\'s, naming the act, the mandate and the relation, and no person', async () => {
      const feed = await store.find<FeedItemDoc>(Collections.agencyFeed, { where: { agencyId: 'kela' }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: 100 });
      const acted = feed.items.filter((i) => i.type === 'acted-on-behalf');
      expect(acted).toEqual([
        expect.objectContaining({ messageId: 'm4', externalId: 'ext-m4', act: 'read', actingFor: { mandateId: 'md-1', relation: 'guardian' }, at: at(7) }),
        expect.objectContaining({ applicationId: 'a1', act: 'applied', actingFor: { mandateId: 'md-1', relation: 'guardian' }, at: at(8) }),
      ]);
      // The act's own item keeps its actingFor too; the acts the person did themself have none.
      expect(feed.items.find((i) => i.messageId === 'm4' && i.type === 'read')!.actingFor).toEqual({ mandateId: 'md-1', relation: 'guardian' });
      expect(feed.items.find((i) => i.messageId === 'm1' && i.type === 'read')!.actingFor).toBeUndefined();
      expect(JSON.stringify(feed.items)).not.toContain(CHILD);
      expect(JSON.stringify(feed.items)).not.toContain(GUARDIAN.agentRef);
    });

    it('shows the act on behalf as a step of the message trail, and leaves the message as the act made it', async () => {
      const message = await store.get<MessageDoc>(Collections.messages, 'm4');
      expect(message!.trail.map((s) => s.type)).toEqual(['MessageSent', 'MessageRead', 'ActedOnBehalf']);
      expect(message!.trail[2]).toMatchObject({ actor: { actingFor: { mandateId: 'md-1', relation: 'guardian' } }, evidence: [], detail: { act: 'read', mandateId: 'md-1' } });
      expect(message).toMatchObject({ citizenState: 'read', agencyState: 'read' });
    });

    it('stores the checkpoint of the last applied event as a bigint position', async () => {
      expect(await store.checkpoint('read-models')).toBe(log[log.length - 1]!.position);
    });
  });
});
