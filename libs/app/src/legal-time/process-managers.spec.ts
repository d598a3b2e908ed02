import { Logger } from '@nestjs/common';
import { DAY_MS, HOUR_MS, REGISTERED_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { startWorker } from '../../../../apps/worker/src/worker';
import { eventually as retryUntil } from '../../../../test/support/eventually';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';
/** The worker's followers run on their own timers: each assertion gets up to 5 s. */
const eventually = (assertion: () => Promise<void>) => retryUntil(assertion, 5000);

describe('the worker: projections and every legal-time process manager together', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => h.destroy());

  it('notifies on arrival while running, and after a restart 8 days later serves, reminds, falls back and prints what fell due while it was down', async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    let worker = await startWorker(h.runtime);
    const ordinary = await h.send(MAIJA, 'ordinary');
    const registered = await h.send(MAIJA, 'registered');
    await eventually(async () => expect((await h.outbox()).map((n) => n.template)).toEqual(['arrival', 'arrival']));
    await worker.stop();

    h = await h.restart(after(REGISTERED_SENT_AT, 8 * DAY_MS));
    worker = await startWorker(h.runtime);
    try {
      await eventually(async () => {
        expect(await h.trail(ordinary)).toEqual(['MessageSent', 'ReminderSent', 'MessageDeemedServed', 'ReminderSent']);
        expect(await h.trail(registered)).toEqual(['MessageSent', 'ReminderSent', 'ReminderSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']);
      });
      await eventually(async () => expect(await h.agencyView(registered)).toMatchObject({ state: 'paper', printJobId: registered }));
      expect(await h.agencyView(ordinary)).toMatchObject({ state: 'deemed-served' });
      expect(await h.printJob(registered)).toMatchObject({ reason: 'unacknowledged-7-days' });
      expect((await h.outbox()).map((n) => n.template)).toEqual(['arrival', 'arrival', 'reminder', 'reminder']);
    } finally {
      await worker.stop();
    }
  });

  it('closing the account takes a pending registered message to paper and to print with the worker running', async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount(MAIJA);
    const worker = await startWorker(h.runtime);
    try {
      const pending = await h.send(MAIJA, 'registered');
      h.clock.advance(DAY_MS);
      await h.closeAccount(MAIJA);
      await eventually(async () => expect(await h.trail(pending)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']));
      await eventually(async () => expect(await h.feedTypes(pending)).toEqual(['sent', 'paper-fallback', 'handed-to-print']));
    } finally {
      await worker.stop();
    }
  });

  it('a scheduled message: nothing before publishAt; at it, published once across restarts, notified, and its clock started from it', async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const publishAt = after(REGISTERED_SENT_AT, 2 * DAY_MS);
    let worker = await startWorker(h.runtime);
    const scheduled = await h.send(MAIJA, 'registered', undefined, { publishAt });
    const printed = await h.send(MAIJA, 'registered', { electronic: false, paperReason: 'no-consent' }, { publishAt });
    await eventually(async () => expect(await h.agencyView(scheduled)).toMatchObject({ state: 'scheduled', publishAt }));
    await worker.stop();

    // A day later, still before publishAt: nothing reached the person, nothing went to print.
    h = await h.restart(after(REGISTERED_SENT_AT, DAY_MS));
    worker = await startWorker(h.runtime);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await h.trail(scheduled)).toEqual(['MessageSent']);
    expect(await h.trail(printed)).toEqual(['MessageSent', 'MessageRoutedToPaper']);
    expect(await h.outbox()).toEqual([]);
    await worker.stop();

    // Down across publishAt, restarted twice after it: published once, the notice once, the print once.
    h = await h.restart(after(publishAt, HOUR_MS));
    worker = await startWorker(h.runtime);
    await eventually(async () => expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'ReminderSent']));
    await eventually(async () => expect(await h.trail(printed)).toEqual(['MessageSent', 'MessageRoutedToPaper', 'MessagePublished', 'MessageHandedToPrint']));
    await worker.stop();
    h = await h.restart(after(publishAt, 2 * HOUR_MS));
    worker = await startWorker(h.runtime);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'ReminderSent']);
      expect((await h.events(scheduled))[1]!.data).toEqual({ messageId: scheduled, publishedAt: publishAt });
      expect((await h.outbox()).map((n) => n.template)).toEqual(['arrival']);
      await eventually(async () => expect(await h.feedTypes(scheduled)).toEqual(['sent', 'published', 'reminded']));
      // The 3-day reminder and the 7 days count from publication, not from the sending.
      expect(await h.deadline(scheduled, 'registered-reminder')).toMatchObject({ status: 'pending', dueAt: after(publishAt, 3 * DAY_MS) });
    } finally {
      await worker.stop();
    }
  });

  it('a cancelled scheduled message is never published, notified or printed, and its deadlines are settled', async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const publishAt = after(REGISTERED_SENT_AT, DAY_MS);
    const worker = await startWorker(h.runtime);
    try {
      const scheduled = await h.send(MAIJA, 'ordinary', undefined, { publishAt });
      await h.cancel(scheduled);
      h.clock.advance(10 * DAY_MS);
      await eventually(async () => expect(await h.feedTypes(scheduled)).toEqual(['sent', 'cancelled']));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessageCancelled']);
      expect(await h.outbox()).toEqual([]);
      for (const kind of ['publish', 'deemed-served', 'ordinary-reminder'] as const) {
        expect(await h.deadline(scheduled, kind)).toMatchObject({ status: 'done', settledBy: 'MessageCancelled' });
      }
    } finally {
      await worker.stop();
    }
  });

  it("the agency's notice settings: its own text in the arrival notice, and no reminders when turned off", async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    let worker = await startWorker(h.runtime);
    const text = 'Kela on lähettänyt sinulle viestin.';
    const quiet = await h.send(MAIJA, 'registered', undefined, { notification: { reminders: false, text: { fi: text, sv: 'FPA har skickat ett meddelande.' } } });
    await eventually(async () => expect((await h.outbox()).map((n) => [n.template, n.text])).toEqual([['arrival', text]]));
    await worker.stop();
    h = await h.restart(after(REGISTERED_SENT_AT, 5 * DAY_MS));
    worker = await startWorker(h.runtime);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await h.trail(quiet)).toEqual(['MessageSent', 'ReminderSent']);
      expect(await h.deadline(quiet, 'registered-reminder')).toBeNull();
      expect((await h.outbox()).map((n) => n.template)).toEqual(['arrival']);
    } finally {
      await worker.stop();
    }
  });
});
