import { Logger } from '@nestjs/common';
import { REGISTERED_SENT_AT } from '@asiointitili/domain/testing/message-fixtures';
import type { PrintJob } from '@asiointitili/core';
import { PrintHandOffManager, printJobOf } from './print-hand-off.manager';
import { CONTENT_SHA, LegalTimeHarness } from './testing/legal-time-harness';
import { messageDecider, messageStream } from '@asiointitili/domain';

const MAIJA = 'c_maija';

describe('the paper hand-off (print process manager)', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
  });
  afterEach(() => h.destroy());

  const manager = () => new PrintHandOffManager(h.runtime.executor, h.runtime.printChannel, h.clock);

  it('hands a message routed to paper at sending to the print channel and notes the hand-off in the trail', async () => {
    const id = await h.send(MAIJA, 'registered'); // no account
    const reactor = await h.react(manager());
    await h.settled(reactor);

    expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRoutedToPaper', 'MessageHandedToPrint']);
    expect((await h.events(id))[2]).toMatchObject({
      data: { messageId: id, printJobId: id, contentSha256: CONTENT_SHA, handedAt: REGISTERED_SENT_AT },
      metadata: { actor: { type: 'system', id: 'print-hand-off' } },
    });
    expect(await h.printJob(id)).toEqual({
      id,
      messageId: id,
      agencyId: 'kela',
      citizenRef: MAIJA,
      delivery: 'registered',
      reason: 'no-account',
      contentSha256: CONTENT_SHA,
      subject: 'Päätös asumistuesta',
      body: 'Teille on myönnetty asumistuki.',
      attachments: [{ id: 'att-1', name: 'liite.pdf', sha256: 'cd'.repeat(32) }],
    });
    await h.project();
    expect(await h.feedTypes(id)).toEqual(['sent', 'routed-to-paper', 'handed-to-print']);
    expect(await h.agencyView(id)).toMatchObject({ state: 'paper', printJobId: id });
  });

  it('records the hand-off once after a crash between submitting the job and recording it, without replacing the letter', async () => {
    const id = await h.send(MAIJA, 'ordinary');
    const { state } = await h.runtime.executor.load(messageStream(id), messageDecider);
    if (!state.exists) throw new Error('the message was not sent');
    await h.runtime.printChannel.submit(printJobOf(state)); // submitted, then the process died
    const submitted: PrintJob | null = await h.printJob(id);

    const reactor = await h.react(manager());
    await h.settled(reactor);
    await reactor.stop();
    await h.runtime.readStore.write([], { name: 'pm:print', position: 0n });
    await h.settled(await h.react(manager()));

    expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRoutedToPaper', 'MessageHandedToPrint']);
    expect(await h.printJob(id)).toEqual(submitted);
  });

  it('prints nothing for an electronic message', async () => {
    await h.openAccount(MAIJA);
    const id = await h.send(MAIJA, 'registered');
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.trail(id)).toEqual(['MessageSent']);
    expect(await h.printJob(id)).toBeNull();
  });
});
