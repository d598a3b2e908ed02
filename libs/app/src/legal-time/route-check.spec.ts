import { Logger } from '@nestjs/common';
import { DAY_MS, HOUR_MS, ORDINARY_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { ArrivalNotificationManager } from './arrival-notification.manager';
import { DeadlineProcessManager } from './deadline-process-manager';
import { PrintHandOffManager } from './print-hand-off.manager';
import { ReminderDispatcher } from './reminder-dispatch';
import { RouteCheckManager } from './route-check';
import { Collections } from '../read/projections/collections';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';

/** A sender that read the account while it was open with consent, and appended after the change. */
const SAW_IT_OPEN = { electronic: true } as const;

/** Each spec of this file on a fresh runtime, and the followers it runs by hand. */
let h: LegalTimeHarness;
beforeAll(() => Logger.overrideLogger(false));
beforeEach(async () => {
  h = await LegalTimeHarness.open(ORDINARY_SENT_AT);
});
afterEach(() => h.destroy());

const checker = () => new RouteCheckManager(h.runtime.routeCheck, () => h.now());
const reminders = () => new ReminderDispatcher(h.runtime.executor, h.runtime.notifier, h.runtime.personalData);
const deadlines = () => new DeadlineProcessManager(h.runtime.executor, h.runtime.readStore, reminders(), h.clock, { intervalMs: 20 }, h.runtime.routeCheck);
const arrival = () => new ArrivalNotificationManager(reminders(), h.clock, h.runtime.routeCheck);

describe('the route must hold where the message was recorded (route check)', () => {

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
    await h.settled(await h.react(arrival()));
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

describe('the route must hold where a scheduled message is published (route check at publication)', () => {
  const publishAt = after(ORDINARY_SENT_AT, 2 * DAY_MS);

  it.each([
    ['the consent was revoked', 'no-consent', (ref: string) => h.revokeConsent(ref)],
    ['the account was closed', 'account-closed', (ref: string) => h.closeAccount(ref)],
    ['the person chose paper', 'opted-out-to-paper', (ref: string) => h.choosePaper(ref)],
  ] as const)('publishes on paper at publishAt when, after the sending, %s; nothing electronic ever runs for it', async (_change, reason, change) => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const scheduled = await h.send(MAIJA, 'ordinary', undefined, { publishAt });
    h.clock.advance(DAY_MS);
    await change(MAIJA);
    await h.project();
    h.clock.set(after(publishAt, 9 * DAY_MS)); // the publication, deemed service and the 7-day reminder are all due
    await deadlines().tick();
    await h.project();
    await deadlines().tick();
    await h.settled(await h.react(arrival()));
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessagePublished']);
    expect((await h.events(scheduled))[1]).toMatchObject({ data: { reason, fellBackAt: publishAt }, metadata: { actor: { type: 'system', id: 'deadline-manager' } } });
    expect(await h.outbox()).toEqual([]);
    await h.project();
    for (const kind of ['deemed-served', 'ordinary-reminder'] as const) expect(await h.deadline(scheduled, kind)).toMatchObject({ status: 'done' });
    expect(await h.agencyView(scheduled)).toMatchObject({ state: 'paper', paperReason: reason, paperFallbackAt: publishAt, publishedAt: publishAt });
    expect(await h.runtime.readStore.get(Collections.inboxItems, scheduled)).toBeNull();
    await h.settled(await h.react(new PrintHandOffManager(h.runtime.executor, h.runtime.printChannel, h.clock)));
    expect(await h.printJob(scheduled)).toMatchObject({ reason, delivery: 'ordinary' });
  });

  it('publishes electronically, and notifies, when the account still allows it at publication', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const scheduled = await h.send(MAIJA, 'registered', undefined, { publishAt });
    await h.project();
    h.clock.set(after(publishAt, HOUR_MS));
    await deadlines().tick();
    await h.settled(await h.react(arrival()));
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'ReminderSent']);
  });

  it('reroutes a publication decided on an account read from before a revocation appended meanwhile, before any notice or deadline', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const scheduled = await h.send(MAIJA, 'ordinary', undefined, { publishAt });
    h.clock.set(after(publishAt, HOUR_MS));
    await h.revokeConsent(MAIJA);
    await h.publish(scheduled, SAW_IT_OPEN); // the deadline manager read the account just before the revocation
    await h.settled(await h.react(arrival()));
    expect(await h.outbox()).toEqual([]);
    await h.settled(await h.react(checker()));
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'PaperFallbackTriggered']);
    expect((await h.events(scheduled))[2]).toMatchObject({ data: { reason: 'no-consent' }, metadata: { actor: { type: 'system', id: 'route-check' } } });
    await h.project();
    h.clock.set(after(publishAt, 9 * DAY_MS));
    const fired = await deadlines().tick();
    expect(fired.map((f) => f.outcome)).not.toContain('recorded');
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'PaperFallbackTriggered']);
  });

  it('checks the publication point before a deadline fires even when no reactor ran: never deemed served', async () => {
    await h.openAccount(MAIJA);
    const scheduled = await h.send(MAIJA, 'ordinary', undefined, { publishAt });
    h.clock.set(after(publishAt, HOUR_MS));
    await h.closeAccount(MAIJA);
    await h.publish(scheduled, SAW_IT_OPEN);
    await h.project();
    h.clock.set(after(publishAt, 9 * DAY_MS));
    const fired = await deadlines().tick();
    expect(fired.map((f) => f.outcome)).not.toContain('recorded');
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished', 'PaperFallbackTriggered']);
    expect((await h.events(scheduled))[2]).toMatchObject({ data: { reason: 'account-closed' } });
  });

  it('leaves a published message electronic when the revocation came after its publication was recorded, and checks once however often asked', async () => {
    await h.openAccount(MAIJA);
    const scheduled = await h.send(MAIJA, 'ordinary', undefined, { publishAt });
    h.clock.set(after(publishAt, HOUR_MS));
    await h.publish(scheduled, SAW_IT_OPEN);
    await h.revokeConsent(MAIJA);
    await h.settled(await h.react(checker()));
    for (let i = 0; i < 3; i++) expect(await h.runtime.routeCheck.verify(scheduled, h.now(), { causationId: 'x', correlationId: 'y' })).toBe('electronic');
    expect(await h.trail(scheduled)).toEqual(['MessageSent', 'MessagePublished']);
  });
});
