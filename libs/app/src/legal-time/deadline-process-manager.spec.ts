import { Logger } from '@nestjs/common';
import { ACKNOWLEDGE_BY, DAY_MS, HOUR_MS, ORDINARY_SENT_AT, ORDINARY_SERVED_AT, REGISTERED_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { DomainRejection } from '../write/domain-rejection';
import type { CommandExecutor } from '../write/command-executor';
import { DeadlineProcessManager } from './deadline-process-manager';
import type { DeadlineDoc } from './deadlines.projection';
import { PrintHandOffManager } from './print-hand-off.manager';
import { ReminderDispatcher } from './reminder-dispatch';
import { CONTENT_SHA, LegalTimeHarness } from './testing/legal-time-harness';
import { Collections } from '../read/projections/collections';

const MAIJA = 'c_maija';

function deadlineManager(h: LegalTimeHarness, executor: CommandExecutor = h.runtime.executor): DeadlineProcessManager {
  return new DeadlineProcessManager(executor, h.runtime.readStore, new ReminderDispatcher(executor, h.runtime.notifier, h.runtime.personalData), h.clock, { intervalMs: 20 }, h.runtime.routeCheck);
}

describe('the deadline process manager', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => h.destroy());

  describe('deemed service of an ordinary message (§19)', () => {
    beforeEach(async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT); // Monday 24 November 2025, 23:30 in Helsinki
      await h.openAccount(MAIJA);
    });

    it('deems it served when the third Helsinki day begins (27 November, 00:00), and not a millisecond before', async () => {
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      const manager = deadlineManager(h);

      h.clock.set(after(ORDINARY_SERVED_AT, -1));
      expect(await manager.tick()).toEqual([]);
      expect(await h.trail(id)).toEqual(['MessageSent']);

      h.clock.set(ORDINARY_SERVED_AT);
      expect(await manager.tick()).toEqual([{ id: `${id}:deemed-served`, outcome: 'recorded' }]);
      const [sent, deemed] = await h.events(id);
      expect(deemed).toMatchObject({
        type: 'MessageDeemedServed',
        data: { messageId: id, servedOn: '2025-11-27', deemedServedAt: ORDINARY_SERVED_AT },
        metadata: { actor: { type: 'system', id: 'deadline-manager' }, causationId: sent!.id, correlationId: sent!.metadata.correlationId },
      });
    });

    it('shows the agency the state deemed-served, the instant, and a feed item, once recorded', async () => {
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      expect(await h.agencyView(id)).toMatchObject({ state: 'sent', deemedServedAt: ORDINARY_SERVED_AT });
      h.clock.set(ORDINARY_SERVED_AT);
      await deadlineManager(h).tick();
      await h.project();
      expect(await h.agencyView(id)).toMatchObject({ state: 'deemed-served', deemedServedOn: '2025-11-27', deemedServedAt: ORDINARY_SERVED_AT });
      expect(await h.feedTypes(id)).toEqual(['sent', 'deemed-served']);
      expect(await h.deadline(id, 'deemed-served')).toMatchObject({ status: 'done' });
    });

    it('records the legal instant (start of the day), not the moment a late tick got round to it', async () => {
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      h.clock.set(after(ORDINARY_SERVED_AT, 2 * DAY_MS + 5 * HOUR_MS));
      await deadlineManager(h).tick();
      expect((await h.events(id))[1]!.data).toMatchObject({ deemedServedAt: ORDINARY_SERVED_AT });
    });

    it('keeps deemed service for an ordinary message that was read (reading does not move the day)', async () => {
      const id = await h.send(MAIJA, 'ordinary');
      await h.open(MAIJA, id);
      await h.project();
      h.clock.set(ORDINARY_SERVED_AT);
      await deadlineManager(h).tick();
      await h.project();
      expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRead', 'MessageDeemedServed']);
      expect(await h.agencyView(id)).toMatchObject({ state: 'deemed-served' });
    });
  });

  describe('a registered message: acknowledgement against the 7-day fallback (§18)', () => {
    beforeEach(async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA);
    });

    it('lets an acknowledgement at 6 days 23 hours beat the fallback due at 7 days', async () => {
      const id = await h.send(MAIJA, 'registered');
      h.clock.set(after(REGISTERED_SENT_AT, 6 * DAY_MS + 23 * HOUR_MS));
      await h.acknowledge(MAIJA, id);
      await h.project();
      h.clock.set(ACKNOWLEDGE_BY);
      expect(await deadlineManager(h).tick()).toEqual([]);
      expect(await h.trail(id)).toEqual(['MessageSent', 'ReceiptAcknowledged']);
      expect(await h.deadline(id, 'paper-fallback')).toMatchObject({ status: 'done', settledBy: 'ReceiptAcknowledged' });
    });

    it('records no fallback after an acknowledgement even when the schedule has not seen the acknowledgement yet', async () => {
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      await h.runtime.projections.stop(); // the read models lag: the fallback still looks pending
      h.clock.set(after(REGISTERED_SENT_AT, 7 * DAY_MS - 1));
      await h.acknowledge(MAIJA, id);
      h.clock.set(ACKNOWLEDGE_BY);
      const fired = await deadlineManager(h).tick();
      expect(fired).toContainEqual({ id: `${id}:paper-fallback`, outcome: 'nothing-to-record' });
      expect(await h.trail(id)).toEqual(['MessageSent', 'ReceiptAcknowledged']);
    });

    it('refuses an acknowledgement at acknowledgeBy even before the fallback is recorded, and then falls back', async () => {
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      h.clock.set(ACKNOWLEDGE_BY);
      await expect(h.acknowledge(MAIJA, id)).rejects.toThrow(DomainRejection);
      await expect(h.acknowledge(MAIJA, id)).rejects.toMatchObject({ error: { code: 'acknowledgement-period-over' } });
      expect(await deadlineManager(h).tick()).toContainEqual({ id: `${id}:paper-fallback`, outcome: 'recorded' });
      expect(await h.trail(id)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    });

    it('falls back to paper at 7 days when unacknowledged, not before, and the letter is then handed to print', async () => {
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      const manager = deadlineManager(h);
      h.clock.set(after(ACKNOWLEDGE_BY, -1));
      expect((await manager.tick()).map((f) => f.id)).not.toContain(`${id}:paper-fallback`);
      expect(await h.trail(id)).toEqual(['MessageSent']);

      h.clock.set(ACKNOWLEDGE_BY);
      expect(await manager.tick()).toEqual([{ id: `${id}:paper-fallback`, outcome: 'recorded' }]);
      const print = await h.react(new PrintHandOffManager(h.runtime.executor, h.runtime.printChannel, h.clock));
      await h.settled(print);
      await h.project();

      expect(await h.trail(id)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']);
      const events = await h.events(id);
      expect(events[1]!.data).toEqual({ messageId: id, reason: 'unacknowledged-7-days', fellBackAt: ACKNOWLEDGE_BY });
      expect(events[2]!.data).toEqual({ messageId: id, printJobId: id, contentSha256: CONTENT_SHA, handedAt: ACKNOWLEDGE_BY });
      expect(await h.printJob(id)).toMatchObject({ id, messageId: id, delivery: 'registered', reason: 'unacknowledged-7-days', contentSha256: CONTENT_SHA });
      expect(await h.agencyView(id)).toMatchObject({ state: 'paper', paperReason: 'unacknowledged-7-days', paperFallbackAt: ACKNOWLEDGE_BY, printJobId: id });
      expect(await h.feedTypes(id)).toEqual(['sent', 'paper-fallback', 'handed-to-print']);
    });
  });

  describe('reminders of unread messages', () => {
    it('reminds of an unread registered message after 3 × 24 h by every channel the person gave, not before', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi', phone: '+358401234567', language: 'sv' });
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      const manager = deadlineManager(h);
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS - 1));
      expect(await manager.tick()).toEqual([]);
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      expect(await manager.tick()).toEqual([{ id: `${id}:registered-reminder`, outcome: 'recorded' }]);

      expect((await h.events(id))[1]).toMatchObject({
        type: 'ReminderSent',
        data: { reason: 'unread-registered-3-days', channels: ['email', 'sms'], sentAt: after(REGISTERED_SENT_AT, 3 * DAY_MS) },
      });
      const outbox = await h.outbox();
      expect(outbox.map((n) => [n.channel, n.to, n.template, n.language])).toEqual([
        ['email', 'maija@example.fi', 'reminder', 'sv'],
        ['sms', '+358401234567', 'reminder', 'sv'],
      ]);
      expect(JSON.stringify(outbox)).not.toMatch(/asumistu|Päätös|http/);
      await h.project();
      expect(await h.feedTypes(id)).toEqual(['sent', 'reminded']);
      expect(await h.agencyView(id)).toMatchObject({ state: 'sent' });
    });

    it('still reminds of a registered message that was opened but not acknowledged within the 3 days (opening does not serve it)', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const id = await h.send(MAIJA, 'registered');
      h.clock.set(after(REGISTERED_SENT_AT, DAY_MS));
      await h.open(MAIJA, id);
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      expect(await deadlineManager(h).tick()).toEqual([{ id: `${id}:registered-reminder`, outcome: 'recorded' }]);
      expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRead', 'ReminderSent']);
      expect((await h.outbox()).map((n) => n.template)).toEqual(['reminder']);
    });

    it('sends no reminder of a registered message acknowledged before the 3 days were up', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const id = await h.send(MAIJA, 'registered');
      h.clock.set(after(REGISTERED_SENT_AT, DAY_MS));
      await h.acknowledge(MAIJA, id);
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      expect(await deadlineManager(h).tick()).toEqual([]);
      expect(await h.trail(id)).toEqual(['MessageSent', 'ReceiptAcknowledged']);
      expect(await h.outbox()).toEqual([]);
    });

    it('reminds of an unread ordinary message after 7 × 24 h, not before, and not at all once it was read', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const unread = await h.send(MAIJA, 'ordinary');
      const read = await h.send(MAIJA, 'ordinary');
      await h.open(MAIJA, read);
      await h.project();
      const manager = deadlineManager(h);

      h.clock.set(after(ORDINARY_SENT_AT, 7 * DAY_MS - 1));
      expect((await manager.tick()).map((f) => f.id).sort()).toEqual([`${read}:deemed-served`, `${unread}:deemed-served`].sort());
      h.clock.set(after(ORDINARY_SENT_AT, 7 * DAY_MS));
      expect(await manager.tick()).toEqual([{ id: `${unread}:ordinary-reminder`, outcome: 'recorded' }]);

      expect(await h.trail(unread)).toEqual(['MessageSent', 'MessageDeemedServed', 'ReminderSent']);
      expect((await h.events(unread))[2]!.data).toMatchObject({ reason: 'unread-ordinary-7-days', channels: ['email'] });
      expect(await h.trail(read)).toEqual(['MessageSent', 'MessageRead', 'MessageDeemedServed']);
      expect((await h.outbox()).map((n) => n.template)).toEqual(['reminder']);
    });

    it('records no reminder, and sends none, once the person erased their contact details before it was due', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi', phone: '+358401234567' });
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, DAY_MS));
      await h.erasePersonalData(MAIJA);
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      expect(await deadlineManager(h).tick()).toEqual([{ id: `${id}:registered-reminder`, outcome: 'no-contact-channel' }]);
      expect(await h.trail(id)).toEqual(['MessageSent']);
      expect(await h.outbox()).toEqual([]);
    });

    it('records no reminder for a person who gave neither email nor phone, and settles the deadline', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA);
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      const manager = deadlineManager(h);
      expect(await manager.tick()).toEqual([{ id: `${id}:registered-reminder`, outcome: 'no-contact-channel' }]);
      expect(await manager.tick()).toEqual([]);
      expect(await h.trail(id)).toEqual(['MessageSent']);
      expect(await h.outbox()).toEqual([]);
      expect(await h.deadline(id, 'registered-reminder')).toMatchObject({ status: 'done', settledBy: 'no-contact-channel' });
    });
  });

  describe('durability and exactly once', () => {
    it('fires, at the next start, the deadlines that passed while the process was down', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const ordinary = await h.send(MAIJA, 'ordinary');
      const registered = await h.send(MAIJA, 'registered');
      await h.project();

      h = await h.restart(after(REGISTERED_SENT_AT, 8 * DAY_MS)); // down for 8 days
      await h.project();
      const fired = await deadlineManager(h).tick();
      expect(fired.map((f) => [f.id, f.outcome]).sort()).toEqual(
        [
          [`${ordinary}:deemed-served`, 'recorded'],
          [`${ordinary}:ordinary-reminder`, 'recorded'],
          [`${registered}:paper-fallback`, 'recorded'],
          [`${registered}:registered-reminder`, 'recorded'],
        ].sort(),
      );
      expect(await h.trail(ordinary)).toEqual(['MessageSent', 'MessageDeemedServed', 'ReminderSent']);
      expect(await h.trail(registered)).toEqual(['MessageSent', 'ReminderSent', 'PaperFallbackTriggered']);
      expect((await h.events(ordinary))[1]!.data).toMatchObject({ deemedServedAt: '2025-11-26T22:00:00.000Z' });
    });

    it('does not fire twice after a crash between the append and the schedule update', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA);
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      await h.runtime.projections.stop(); // the crash: the schedule never hears of the append
      const pending = (await h.deadline(id, 'deemed-served'))!;
      h.clock.set(ORDINARY_SERVED_AT);
      expect(await deadlineManager(h).tick()).toEqual([{ id: `${id}:deemed-served`, outcome: 'recorded' }]);
      await h.runtime.readStore.write([{ op: 'put', collection: Collections.deadlines, doc: pending }]);

      const afterRestart = deadlineManager(h);
      expect(await afterRestart.tick()).toEqual([{ id: `${id}:deemed-served`, outcome: 'nothing-to-record' }]);
      expect(await h.trail(id)).toEqual(['MessageSent', 'MessageDeemedServed']);
    });

    it('notifies once and records once after a crash between the notification and the ReminderSent append', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const id = await h.send(MAIJA, 'registered');
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, 3 * DAY_MS));
      const crashing = Object.create(h.runtime.executor) as CommandExecutor;
      crashing.execute = () => Promise.reject(new Error('process killed before the append'));
      await expect(deadlineManager(h, crashing).tick()).rejects.toThrow('process killed');
      expect(await h.outbox()).toHaveLength(1);
      expect(await h.trail(id)).toEqual(['MessageSent']);
      expect(await h.deadline(id, 'registered-reminder')).toMatchObject({ status: 'pending' });

      expect(await deadlineManager(h).tick()).toEqual([{ id: `${id}:registered-reminder`, outcome: 'recorded' }]);
      expect(await h.outbox()).toHaveLength(1);
      expect(await h.trail(id)).toEqual(['MessageSent', 'ReminderSent']);
    });

    it('records each deadline once when two workers tick at the same moment', async () => {
      h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
      await h.openAccount(MAIJA, { email: 'maija@example.fi' });
      const ordinary = await h.send(MAIJA, 'ordinary');
      const registered = await h.send(MAIJA, 'registered');
      await h.project();
      h.clock.set(after(REGISTERED_SENT_AT, 8 * DAY_MS));
      const outcomes = (await Promise.all([deadlineManager(h).tick(), deadlineManager(h).tick()])).flat();
      // Both may report `recorded`: the loser of the race appends the same event ids (the command
      // id is the deadline's), which the store takes as the same append. The log is what counts.
      expect(new Set(outcomes.filter((f) => f.outcome === 'recorded').map((f) => f.id))).toEqual(
        new Set([`${ordinary}:deemed-served`, `${ordinary}:ordinary-reminder`, `${registered}:paper-fallback`, `${registered}:registered-reminder`]),
      );
      expect(await h.trail(ordinary)).toEqual(['MessageSent', 'MessageDeemedServed', 'ReminderSent']);
      expect(await h.trail(registered)).toEqual(['MessageSent', 'ReminderSent', 'PaperFallbackTriggered']);
      expect(await h.outbox()).toHaveLength(2);
    });

    it('keeps ticking on its own every interval once started, with the clock port as its only time', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA);
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      const manager = deadlineManager(h);
      manager.start();
      try {
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect(await h.trail(id)).toEqual(['MessageSent']);
        h.clock.set(ORDINARY_SERVED_AT);
        await waitUntil(async () => (await h.trail(id)).includes('MessageDeemedServed'));
      } finally {
        await manager.stop();
      }
      expect(await h.trail(id)).toEqual(['MessageSent', 'MessageDeemedServed']);
    });

    it('keeps ticking after a failed tick (a store down for a moment), and the deadline fires at a later one', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA);
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      h.clock.set(ORDINARY_SERVED_AT);
      const real = h.runtime.executor;
      let failures = 2;
      const flaky = Object.create(real) as CommandExecutor;
      flaky.execute = ((...args: Parameters<CommandExecutor['execute']>) =>
        failures-- > 0 ? Promise.reject(new Error('event store unreachable')) : real.execute(...args)) as CommandExecutor['execute'];
      const manager = deadlineManager(h, flaky);
      manager.start();
      try {
        await waitUntil(async () => (await h.trail(id)).includes('MessageDeemedServed'));
      } finally {
        await manager.stop();
      }
      expect(failures).toBeLessThan(0);
      expect(await h.trail(id)).toEqual(['MessageSent', 'MessageDeemedServed']);
    });

    it('settles, without retrying forever, a deadline the domain refuses for good (its message does not exist)', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      const orphan: DeadlineDoc = {
        id: 'm-gone:deemed-served', messageId: 'm-gone', kind: 'deemed-served', dueAt: ORDINARY_SERVED_AT,
        status: 'pending', causationId: 'c', correlationId: 'c', lastPosition: '00000000000000000001',
      };
      await h.runtime.readStore.write([{ op: 'put', collection: Collections.deadlines, doc: orphan }]);
      h.clock.set(ORDINARY_SERVED_AT);
      const manager = deadlineManager(h);
      expect(await manager.tick()).toEqual([{ id: orphan.id, outcome: 'refused' }]);
      expect(await manager.tick()).toEqual([]);
      expect(await h.runtime.readStore.get(Collections.deadlines, orphan.id)).toMatchObject({ status: 'done', settledBy: 'refused' });
    });

    it('leaves a deadline pending when the domain says it is not yet due (a clock behind the one that scheduled it)', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA);
      const id = await h.send(MAIJA, 'ordinary');
      await h.project();
      const early = { ...(await h.deadline(id, 'deemed-served'))!, dueAt: after(ORDINARY_SERVED_AT, -HOUR_MS) };
      await h.runtime.readStore.write([{ op: 'put', collection: Collections.deadlines, doc: early }]);
      h.clock.set(after(ORDINARY_SERVED_AT, -HOUR_MS));
      expect(await deadlineManager(h).tick()).toEqual([{ id: early.id, outcome: 'not-yet-due' }]);
      expect(await h.deadline(id, 'deemed-served')).toMatchObject({ status: 'pending' });
      expect(await h.trail(id)).toEqual(['MessageSent']);
    });

    it('reads due deadlines page by page, oldest first, and stops at the first one not yet due', async () => {
      h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
      await h.openAccount(MAIJA);
      const ids: string[] = [];
      for (let i = 0; i < 120; i++) ids.push(await h.send(MAIJA, 'ordinary'));
      h.clock.advance(HOUR_MS);
      const later = await h.send(MAIJA, 'ordinary'); // its deemed-service day is the same: sent 00:30 on the 25th
      await h.project();
      h.clock.set(ORDINARY_SERVED_AT);
      const fired = await deadlineManager(h).tick();
      expect(fired).toHaveLength(120);
      expect(new Set(fired.map((f) => f.id))).toEqual(new Set(ids.map((id) => `${id}:deemed-served`)));
      expect((await h.deadline(later, 'deemed-served'))?.dueAt).toBe('2025-11-27T22:00:00.000Z');
      const docs = await h.runtime.readStore.find<DeadlineDoc>(Collections.deadlines, { where: { status: 'pending' }, orderBy: [{ field: 'dueAt', direction: 'asc' }], limit: 1000 });
      expect(docs.items.every((d) => d.dueAt > ORDINARY_SERVED_AT)).toBe(true);
    });
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
