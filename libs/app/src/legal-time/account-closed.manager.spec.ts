import { Logger } from '@nestjs/common';
import { DAY_MS, REGISTERED_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { AccountClosedManager } from './account-closed.manager';
import { PrintHandOffManager } from './print-hand-off.manager';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';
const MATTI = 'c_matti';

describe('closing the account (the account-closed process manager)', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
  });
  afterEach(() => h.destroy());

  const manager = () => new AccountClosedManager(h.runtime.executor, h.runtime.readStore, h.runtime.projections, { projectionWaitMs: 5000 });

  it('sends pending registered messages to paper at the instant of closing, and leaves acknowledged and ordinary ones as they were', async () => {
    await h.openAccount(MAIJA);
    await h.openAccount(MATTI);
    const pending = await h.send(MAIJA, 'registered');
    const acknowledged = await h.send(MAIJA, 'registered');
    const ordinary = await h.send(MAIJA, 'ordinary');
    const someoneElses = await h.send(MATTI, 'registered');
    h.clock.set(after(REGISTERED_SENT_AT, DAY_MS));
    await h.acknowledge(MAIJA, acknowledged);
    h.clock.set(after(REGISTERED_SENT_AT, 2 * DAY_MS));
    await h.closeAccount(MAIJA);
    await h.project();
    const closedAt = h.now();
    h.clock.set(after(REGISTERED_SENT_AT, 2 * DAY_MS + 60_000)); // the manager runs a minute later

    const reactor = await h.react(manager());
    await h.settled(reactor);
    await h.project();

    expect(await h.trail(pending)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
    expect((await h.events(pending))[1]).toMatchObject({
      data: { messageId: pending, reason: 'account-closed', fellBackAt: closedAt },
      metadata: { actor: { type: 'system', id: 'account-closed' } },
    });
    expect(await h.trail(acknowledged)).toEqual(['MessageSent', 'ReceiptAcknowledged']);
    expect(await h.trail(ordinary)).toEqual(['MessageSent']);
    expect(await h.trail(someoneElses)).toEqual(['MessageSent']);

    expect(await h.agencyView(pending)).toMatchObject({ state: 'paper', paperReason: 'account-closed', paperFallbackAt: closedAt });
    expect(await h.agencyView(acknowledged)).toMatchObject({ state: 'acknowledged' });
    expect(await h.feedTypes(pending)).toEqual(['sent', 'paper-fallback']);
    // The fallen message's own deadlines are moot now; the ordinary one is still deemed served on its day.
    expect(await h.deadline(pending, 'paper-fallback')).toMatchObject({ status: 'done', settledBy: 'PaperFallbackTriggered' });
    expect(await h.deadline(ordinary, 'deemed-served')).toMatchObject({ status: 'pending' });
  });

  it('hands the fallen message to print, and only that one', async () => {
    await h.openAccount(MAIJA);
    const pending = await h.send(MAIJA, 'registered');
    const acknowledged = await h.send(MAIJA, 'registered');
    await h.acknowledge(MAIJA, acknowledged);
    await h.closeAccount(MAIJA);
    await h.project();
    const closing = await h.react(manager());
    await h.settled(closing);
    const print = await h.react(new PrintHandOffManager(h.runtime.executor, h.runtime.printChannel, h.clock));
    await h.settled(print);

    expect(await h.trail(pending)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']);
    expect(await h.printJob(pending)).toMatchObject({ reason: 'account-closed', delivery: 'registered' });
    expect(await h.printJob(acknowledged)).toBeNull();
  });

  it('waits for the messages read model to include the closing, so no message sent before it is missed', async () => {
    await h.openAccount(MAIJA);
    const pending = await h.send(MAIJA, 'registered');
    await h.closeAccount(MAIJA);
    const reactor = await h.react(manager()); // the projections are not even running yet
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.trail(pending)).toEqual(['MessageSent']);
    expect(reactor.position()).toBeNull();
    await h.project();
    await h.settled(reactor);
    expect(await h.trail(pending)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
  });

  it('leaves a message recorded after the closing to the route check (route-check.spec.ts)', async () => {
    await h.openAccount(MAIJA);
    await h.closeAccount(MAIJA);
    const raced = await h.send(MAIJA, 'registered', { electronic: true });
    await h.project();
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.trail(raced)).toEqual(['MessageSent']);
  });

  it('records nothing more when its checkpoint is lost and it handles the whole log again', async () => {
    await h.openAccount(MAIJA);
    const pending = await h.send(MAIJA, 'registered');
    await h.closeAccount(MAIJA);
    await h.project();
    const first = await h.react(manager());
    await h.settled(first);
    await first.stop();
    await h.runtime.readStore.write([], { name: 'pm:account-closed', position: 0n });
    const again = await h.react(manager());
    await h.settled(again);
    expect(await h.trail(pending)).toEqual(['MessageSent', 'PaperFallbackTriggered']);
  });
});
