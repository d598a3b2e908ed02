import { addCalendarDays, helsinkiDate } from '@asiointitili/domain';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * The legal fields over HTTP, every answer checked against the OpenAPI document (the test app's
 * client validates each response): scheduling and cancelling, reply-by, appeal period, notice
 * settings and confidential, and the clear 4xx for each bad value.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('legal fields on sending: publishAt, replyBy, appealPeriodDays, notification, confidential', () => {
  let t: TestApp;
  let kela: string;
  let citizen: string;
  beforeAll(async () => {
    t = await startTestApp();
    await registerAgency(t, 'kela');
    kela = await t.token({ role: 'agency', agency: 'kela' });
    citizen = await openAccountWithConsent(t, HETU.maija, 'kela');
  });
  afterAll(() => t.destroy());

  const agencyView = (id: string) =>
    eventually(async () => {
      const r = await t.http.get(`/v1/agency/messages/${id}`).set(bearer(kela));
      expect(r.status).toBe(200);
      return r.body;
    });

  it('schedules a message (state scheduled, invisible to the person) and cancels it before publishAt', async () => {
    const publishAt = new Date(Date.now() + 86_400_000).toISOString();
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija, { publishAt }));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ route: 'electronic', publishAt });
    expect(await agencyView(sent.body.id)).toMatchObject({ state: 'scheduled', publishAt, confidential: false });
    expect((await t.http.get(`/v1/citizen/messages/${sent.body.id}`).set(bearer(citizen))).status).toBe(404);

    const cancelled = await t.http.delete(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ id: sent.body.id, cancelledAt: expect.any(String) });
    await eventually(async () => expect((await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela))).body.state).toBe('cancelled'));
    const other = await t.token({ role: 'agency', agency: 'vero' });
    expect((await t.http.delete(`/v1/agency/messages/${sent.body.id}`).set(bearer(other))).status).toBe(404);
  });

  it('shows reply-by, the appeal period, the notice settings and confidential to both sides', async () => {
    const replyBy = addCalendarDays(helsinkiDate(new Date().toISOString()), 14);
    const notification = { reminders: false, text: { fi: 'Kela on lähettänyt sinulle viestin.' } };
    const sent = await t.http
      .post('/v1/agency/messages')
      .set(bearer(kela))
      .send(decision(HETU.maija, { kind: 'information-request', delivery: 'ordinary', replyAllowed: true, replyBy, appealPeriodDays: 30, notification, confidential: true }));
    expect(sent.status).toBe(201);
    expect(await agencyView(sent.body.id)).toMatchObject({ state: 'sent', replyBy, appealPeriodDays: 30, notification, confidential: true });
    const opened = await t.http.get(`/v1/citizen/messages/${sent.body.id}`).set(bearer(citizen));
    expect(opened.body).toMatchObject({ replyBy, appealPeriodDays: 30, confidential: true });
    expect(opened.body).not.toHaveProperty('appealEndsOn'); // not served yet
    const inbox = await t.http.get('/v1/citizen/messages').set(bearer(citizen));
    expect(inbox.body.items.find((item: { id: string }) => item.id === sent.body.id)).toMatchObject({ replyBy });
  });

  it.each([
    ['publishAt that is not an instant', { publishAt: 'tomorrow' }, 400],
    ['publishAt more than a year ahead', { publishAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }, 422],
    ['replyBy that is not a date', { replyAllowed: true, replyBy: '2026-02-30' }, 400],
    ['replyBy without replyAllowed', { replyBy: '2099-01-01' }, 422],
    ['an appeal period of 0 days', { appealPeriodDays: 0 }, 400],
    ['an appeal period of 366 days', { appealPeriodDays: 366 }, 400],
    ['a notice text with a link', { notification: { reminders: true, text: { fi: 'Lue: https://example.fi/x' } } }, 422],
    ['a notice without reminders', { notification: { text: { fi: 'Uusi viesti.' } } }, 400],
    ['a notice text in an unknown language', { notification: { reminders: true, text: { de: 'Neue Nachricht' } } }, 400],
    ['confidential that is not a boolean', { confidential: 'yes' }, 400],
  ])('refuses %s with a problem and records nothing', async (_what, overrides, status) => {
    const before = await t.http.get('/v1/agency/messages?limit=1000').set(bearer(kela));
    const answer = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija, overrides));
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const after = await t.http.get('/v1/agency/messages?limit=1000').set(bearer(kela));
    expect(after.body.items.length).toBe(before.body.items.length);
  });
});
