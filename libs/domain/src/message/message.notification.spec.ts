/** Per-message notice settings: reminders on or off, the notice's own text (never a link or content), failures recorded once. */
import type { RecordNotificationFailure, SendReminder } from '../commands';
import { noticeTextProblem } from '../notification-settings';
import { given } from '../testing/given-when-then';
import { after, DAY_MS, ORDINARY_SENT_AT, REGISTERED_SENT_AT, sendOrdinary, sendRegistered } from '../testing/message-fixtures';
import { messageDecider } from './message.decider';

const content = { subject: 'Päätös asumistuesta', body: 'Teille on myönnetty asumistuki ajalle 1.1.–31.12.2027.' };

describe('notice texts', () => {
  it.each([
    'Kela on lähettänyt sinulle viestin. Kirjaudu Asiointitiliin tavalliseen tapaan.',
    'Du har fått ett meddelande från FPA.',
  ])('accepts plain words: %s', (text) => {
    expect(noticeTextProblem(text, content)).toBeUndefined();
  });

  it.each([
    ['a link', 'Lue viesti: https://asiointi.example/viesti'],
    ['a scheme without slashes in a link', 'Avaa hxxp://x tai javascript://alert'],
    ['a www address', 'Katso www.kela.fi'],
    ['a bare domain', 'Kirjaudu osoitteessa kela.fi'],
    ['an email address', 'Kysy: asiakaspalvelu@example.com'],
    ['the subject', 'Uusi päätös asumistuesta odottaa'],
    ['the opening of the content', 'Teille on myönnetty asumistuki ajalle 1.1.'],
    ['a control character', 'Uusi viesti\u0007'],
    ['nothing', '   '],
    ['too many characters', 'x'.repeat(161)],
  ])('refuses %s', (_what, text) => {
    expect(noticeTextProblem(text, content)).toEqual(expect.any(String));
  });
});

describe('message: sending with notice settings', () => {
  it('records the settings', () => {
    const notification = { reminders: false, text: { fi: 'Sinulle on uusi viesti Kelalta.' } };
    expect(given(messageDecider).when(sendOrdinary({ notification })).events[0]).toMatchObject({ data: { notification } });
  });

  it('refuses a notice text with a link, naming the language', () => {
    const outcome = given(messageDecider).when(sendOrdinary({ notification: { reminders: true, text: { sv: 'Läs på https://example.se' } } }));
    expect(outcome.error).toMatchObject({ kind: 'invalid', code: 'invalid-notification', detail: expect.stringContaining('notification.text.sv') });
  });
});

describe('message: reminders off', () => {
  const remind = (reason: SendReminder['reason'], at: string, messageId: string): SendReminder => ({ type: 'SendReminder', messageId, reason, channels: ['email'], at });

  it('records no unread reminder when the agency turned reminders off, but still the arrival notice', () => {
    const registered = given(messageDecider).when(sendRegistered({ notification: { reminders: false } })).events;
    expect(given(messageDecider, ...registered).when(remind('unread-registered-3-days', after(REGISTERED_SENT_AT, 3 * DAY_MS), 'm-registered')).events).toEqual([]);
    expect(given(messageDecider, ...registered).when(remind('arrival', REGISTERED_SENT_AT, 'm-registered')).events).toHaveLength(1);
    const ordinary = given(messageDecider).when(sendOrdinary({ notification: { reminders: false } })).events;
    expect(given(messageDecider, ...ordinary).when(remind('unread-ordinary-7-days', after(ORDINARY_SENT_AT, 7 * DAY_MS), 'm-ordinary')).events).toEqual([]);
  });
});

describe('message: a notice no channel could carry', () => {
  const failed = (at: string, reason: RecordNotificationFailure['reason'] = 'arrival'): RecordNotificationFailure => ({
    type: 'RecordNotificationFailure',
    messageId: 'm-ordinary',
    reason,
    cause: 'no-contact-channel',
    at,
  });
  const sent = given(messageDecider).when(sendOrdinary()).events;

  it('is recorded for the agency', () => {
    expect(given(messageDecider, ...sent).when(failed(ORDINARY_SENT_AT)).events).toEqual([
      { type: 'NotificationFailed', data: { messageId: 'm-ordinary', reason: 'arrival', cause: 'no-contact-channel', failedAt: ORDINARY_SENT_AT } },
    ]);
  });

  it('is recorded once per notice', () => {
    const first = given(messageDecider, ...sent).when(failed(ORDINARY_SENT_AT)).events;
    expect(given(messageDecider, ...sent, ...first).when(failed(after(ORDINARY_SENT_AT, 1000))).events).toEqual([]);
    expect(given(messageDecider, ...sent, ...first).when(failed(after(ORDINARY_SENT_AT, 7 * DAY_MS), 'unread-ordinary-7-days')).events).toHaveLength(1);
  });
});
