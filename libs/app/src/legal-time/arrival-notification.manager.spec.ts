import { Logger } from '@nestjs/common';
import { UndeliverableNotificationError, type Notifier } from '@asiointitili/core';
import { DAY_MS, REGISTERED_SENT_AT, after } from '@asiointitili/domain/testing/message-fixtures';
import { ArrivalNotificationManager } from './arrival-notification.manager';
import { ReminderDispatcher, notificationId } from './reminder-dispatch';
import { LegalTimeHarness } from './testing/legal-time-harness';

const MAIJA = 'c_maija';

describe('notification on arrival', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
  });
  afterEach(() => h.destroy());

  const manager = () => new ArrivalNotificationManager(new ReminderDispatcher(h.runtime.executor, h.runtime.notifier, h.runtime.personalData), h.clock, h.runtime.routeCheck);

  it('tells the person by each address they gave that something arrived, with no link and no content, and records it', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi', phone: '+358401234567', language: 'en' });
    const id = await h.send(MAIJA, 'registered');
    const reactor = await h.react(manager());
    await h.settled(reactor);

    const outbox = await h.outbox();
    expect(outbox).toEqual([
      { id: notificationId(id, 'arrival', 'email'), channel: 'email', to: 'maija@example.fi', language: 'en', template: 'arrival', subject: 'New message', text: 'A new message has arrived in your Asiointitili account.' },
      { id: notificationId(id, 'arrival', 'sms'), channel: 'sms', to: '+358401234567', language: 'en', template: 'arrival', subject: 'New message', text: 'A new message has arrived in your Asiointitili account.' },
    ]);
    expect(JSON.stringify(outbox)).not.toMatch(/asumistu|Päätös|kela|http|m-registered/);
    expect((await h.events(id))[1]).toMatchObject({
      type: 'ReminderSent',
      data: { messageId: id, reason: 'arrival', channels: ['email', 'sms'], sentAt: REGISTERED_SENT_AT },
      metadata: { actor: { type: 'system', id: 'arrival-notification' } },
    });
    await h.project();
    expect(await h.feedTypes(id)).toEqual(['sent', 'reminded']);
    // The arrival notice is not the 3-day reminder: that one is still due.
    expect(await h.deadline(id, 'registered-reminder')).toMatchObject({ status: 'pending' });
  });

  it('skips an address refused for good, records only the channels that carried the notice, and does not stall later notices', async () => {
    const refusingEmail: Notifier = {
      send: async (notification) => {
        if (notification.channel === 'email' && notification.to === 'gone@example.fi') throw new UndeliverableNotificationError('email', 'SMTP 550');
        await h.runtime.notifier.send(notification);
      },
    };
    const refusing = () => new ArrivalNotificationManager(new ReminderDispatcher(h.runtime.executor, refusingEmail, h.runtime.personalData), h.clock, h.runtime.routeCheck);
    await h.openAccount(MAIJA, { email: 'gone@example.fi', phone: '+358401234567' });
    await h.openAccount('c_matti', { email: 'gone@example.fi' });
    await h.openAccount('c_aino', { email: 'aino@example.fi' });
    const both = await h.send(MAIJA, 'registered');
    const emailOnly = await h.send('c_matti', 'registered');
    const later = await h.send('c_aino', 'registered');
    const reactor = await h.react(refusing());
    await h.settled(reactor);

    expect((await h.events(both))[1]).toMatchObject({ type: 'ReminderSent', data: { reason: 'arrival', channels: ['sms'] } });
    // Its only address refused for good: the agency learns that no channel carried the notice.
    expect((await h.events(emailOnly)).map((e) => e.type)).toEqual(['MessageSent', 'NotificationFailed']);
    expect((await h.events(emailOnly))[1]!.data).toMatchObject({ reason: 'arrival', cause: 'undeliverable' });
    await h.project();
    expect(await h.feedTypes(emailOnly)).toEqual(['sent', 'notification-failed']);
    expect((await h.events(later))[1]).toMatchObject({ type: 'ReminderSent', data: { channels: ['email'] } });
    expect((await h.outbox()).map((n) => n.to)).toEqual(['+358401234567', 'aino@example.fi']);
  });

  it('sends nothing and records nothing for a person who gave no address (they chose no notices)', async () => {
    await h.openAccount(MAIJA);
    const id = await h.send(MAIJA, 'ordinary');
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.outbox()).toEqual([]);
    expect(await h.trail(id)).toEqual(['MessageSent']);
  });

  it('sends nothing for a message routed to paper at sending', async () => {
    const id = await h.send(MAIJA, 'registered'); // no account: paper
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRoutedToPaper']);
    expect(await h.outbox()).toEqual([]);
  });

  it('sends nothing and records nothing once the person erased their contact details', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi', phone: '+358401234567' });
    await h.erasePersonalData(MAIJA);
    const id = await h.send(MAIJA, 'registered');
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.outbox()).toEqual([]);
    expect(await h.trail(id)).toEqual(['MessageSent']);
  });

  it('reads the address from the sealed envelope: the account stream holds no plaintext address', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi', phone: '+358401234567' });
    const id = await h.send(MAIJA, 'ordinary');
    await h.settled(await h.react(manager()));
    expect((await h.outbox()).map((n) => n.to)).toEqual(['maija@example.fi', '+358401234567']);
    const account = JSON.stringify((await h.runtime.events.readStream(`account-${MAIJA}`)).map((e) => [e.data, e.metadata]));
    expect(account).not.toMatch(/maija@example\.fi|358401234567|"email"|"phone"/);
    expect(await h.trail(id)).toEqual(['MessageSent', 'ReminderSent']);
  });

  it('sends nothing for a message already read by the time the notifier gets to it', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const id = await h.send(MAIJA, 'ordinary');
    await h.open(MAIJA, id);
    const reactor = await h.react(manager());
    await h.settled(reactor);
    expect(await h.outbox()).toEqual([]);
    expect(await h.trail(id)).toEqual(['MessageSent', 'MessageRead']);
  });

  it('notifies once, however often the log is handled again (restart from the checkpoint, or a lost checkpoint)', async () => {
    await h.openAccount(MAIJA, { email: 'maija@example.fi' });
    const id = await h.send(MAIJA, 'ordinary');
    const first = await h.react(manager());
    await h.settled(first);
    await first.stop();
    h.clock.set(after(REGISTERED_SENT_AT, DAY_MS));
    await h.settled(await h.react(manager()));
    await h.runtime.readStore.write([], { name: 'pm:arrival', position: 0n });
    await h.settled(await h.react(manager()));
    expect(await h.outbox()).toHaveLength(1);
    expect(await h.trail(id)).toEqual(['MessageSent', 'ReminderSent']);
  });
});
