import { Logger } from '@nestjs/common';
import { DAY_MS, REGISTERED_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { startWorker } from '../../../../apps/worker/src/worker';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';

async function eventually(assertion: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

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
});
