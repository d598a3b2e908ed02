import { Logger } from '@nestjs/common';
import { DAY_MS, ORDINARY_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { ArrivalNotificationManager } from './arrival-notification.manager';
import { DeadlineProcessManager } from './deadline-process-manager';
import { PrintHandOffManager } from './print-hand-off.manager';
import { ReminderDispatcher } from './reminder-dispatch';
import { RouteCheckManager } from './route-check';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';

/** A sender that read the account while it was open with consent, and appended after the change. */
const SAW_IT_OPEN = { electronic: true } as const;

describe('the route must hold where the message was recorded (route check)', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
  });
  afterEach(() => h.destroy());

  const checker = () => new RouteCheckManager(h.runtime.routeCheck, () => h.now());
  const reminders = () => new ReminderDispatcher(h.runtime.executor, h.runtime.notifier, h.runtime.personalData);
  const deadlines = () => new DeadlineProcessManager(h.runtime.executor, h.runtime.readStore, reminders(), h.clock, { intervalMs: 20 }, h.runtime.routeCheck);

  it.each(['ordinary', 'registered'] as const)('sends to paper an electronic %s message recorded after the consent was revoked', async (delivery) => {
    await h.openAccount(MAIJA);
    await h.revokeConsent(MAIJA);
    const raced = await h.send(MAIJA, delivery, SAW_IT_OPEN);
    await h.settled(await h.react(checker()));
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    expect((await h.events(raced))[1]).toMatchObject({
      data: { messageId: raced, reason: 'no-consent' },
      metadata: { actor: { type: 'system', id: 'route-check' } },
    });
  });

  it.each(['ordinary', 'registered'] as const)('sends to paper an electronic %s message recorded after the account closed', async (delivery) => {
    await h.openAccount(MAIJA);
    await h.closeAccount(MAIJA);
    const raced = await h.send(MAIJA, delivery, SAW_IT_OPEN);
    await h.settled(await h.react(checker()));
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    expect((await h.events(raced))[1]).toMatchObject({ data: { reason: 'account-closed' } });
  });

  it('leaves alone a message recorded before the revocation, and one recorded after a reopening with a new consent', async () => {
    await h.openAccount(MAIJA);
    const before = await h.send(MAIJA, 'ordinary');
    await h.closeAccount(MAIJA);
    h.clock.advance(1000);
    await h.openAccount(MAIJA);
    const afterReopening = await h.send(MAIJA, 'ordinary');
    await h.settled(await h.react(checker()));
    expect(await h.trail(before)).toEqual(['MessageSent']);
    expect(await h.trail(afterReopening)).toEqual(['MessageSent']);
  });

  it('hands the rerouted message to print', async () => {
    await h.openAccount(MAIJA);
    await h.revokeConsent(MAIJA);
    const raced = await h.send(MAIJA, 'ordinary', SAW_IT_OPEN);
    await h.settled(await h.react(checker()));
    await h.settled(await h.react(new PrintHandOffManager(h.runtime.executor, h.runtime.printChannel, h.clock)));
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']);
    expect(await h.printJob(raced)).toMatchObject({ reason: 'no-consent', delivery: 'ordinary' });
  });

  it('checks before any deadline fires, even when the route-check reactor has not run: the ordinary message is never deemed served or reminded', async () => {
    await h.openAccount(MAIJA);
    await h.closeAccount(MAIJA);
    const raced = await h.send(MAIJA, 'ordinary', SAW_IT_OPEN);
    await h.project();
    h.clock.set(after(ORDINARY_SENT_AT, 8 * DAY_MS)); // deemed service and the 7-day reminder are both due
    const fired = await deadlines().tick();
    expect(fired.map((f) => f.outcome)).not.toContain('recorded');
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    await h.project();
    expect(await h.deadline(raced, 'deemed-served')).toMatchObject({ status: 'done' });
  });

  it('checks before the arrival notice: no notice for a message recorded after the revocation', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    await h.revokeConsent(MAIJA);
    const raced = await h.send(MAIJA, 'registered', SAW_IT_OPEN);
    await h.settled(await h.react(new ArrivalNotificationManager(reminders(), h.clock, h.runtime.routeCheck)));
    expect(await h.outbox()).toEqual([]);
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
  });

  it('records the correction once, whichever followers check (reactor, deadline, notice) and however often', async () => {
    await h.openAccount(MAIJA);
    await h.revokeConsent(MAIJA);
    const raced = await h.send(MAIJA, 'ordinary', SAW_IT_OPEN);
    await h.settled(await h.react(checker()));
    await h.runtime.readStore.write([], { name: 'pm:route-check', position: 0n });
    await h.settled(await h.react(checker()));
    for (let i = 0; i < 3; i++) await h.runtime.routeCheck.verify(raced, h.now(), { causationId: 'x', correlationId: 'y' });
    expect(await h.trail(raced)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
  });
});
