import { decision, HETU, registerAgency } from '../support/fixtures';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('digital by default (CONSENT_POLICY=digital-by-default, HE 124/2025)', () => {
  let t: TestApp;
  let kela: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { CONSENT_POLICY: 'digital-by-default' } });
    await registerAgency(t, 'kela');
    kela = await t.token({ role: 'agency', agency: 'kela' });
  });
  afterAll(() => t.destroy());

  it('opens the account automatically at the first strong sign-in, with no separate consent', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija, acr: 'substantial' });
    expect((await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela))).body).toEqual({ electronic: false });
    const account = await t.http.get('/v1/citizen/account').set(bearer(citizen));
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ status: 'open', consents: [] });
    expect((await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela))).body).toEqual({ electronic: true });
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija));
    expect(sent.body.route).toBe('electronic');
  });

  it('routes to paper for six months after the person opts back to paper', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: HETU.matti });
    const chosen = await t.http.put('/v1/citizen/paper-preference').set(bearer(citizen));
    expect(chosen.status).toBe(200);
    const until = new Date(chosen.body.paperUntil as string).getTime();
    const sixMonths = 183 * 24 * 3600 * 1000;
    expect(Math.abs(until - Date.now() - sixMonths)).toBeLessThan(4 * 24 * 3600 * 1000);
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.matti));
    expect(sent.body.route).toBe('paper');
    const view = await eventually(async () => {
      const r = await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela));
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(view.paperReason).toBe('opted-out-to-paper');
  });

  it('never reopens automatically an account the person closed', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: HETU.aino });
    await t.http.get('/v1/citizen/account').set(bearer(citizen));
    const closed = await t.http.delete('/v1/citizen/account').set(bearer(citizen));
    expect(closed.body.status).toBe('closed');
    const later = await t.http.get('/v1/citizen/account').set(bearer(citizen));
    expect(later.body.status).toBe('closed');
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.aino));
    expect(sent.body.route).toBe('paper');
  });

  it('still lets a new person open the account explicitly with their language and contact details', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: '150390-234V' });
    const opened = await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'sv', email: 'ny@example.fi' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', language: 'sv', email: 'ny@example.fi' });
  });
});

describe('paper preference under the consent model (CONSENT_POLICY=consent)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await registerAgency(t, 'kela');
  });
  afterAll(() => t.destroy());

  it('honours PUT /v1/citizen/paper-preference over a consent: messages go to paper while it is in force', async () => {
    const kela = await t.token({ role: 'agency', agency: 'kela' });
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
    expect((await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'fi' })).status).toBe(201);
    expect((await t.http.put('/v1/citizen/consents/kela').set(bearer(citizen))).status).toBe(200);
    expect((await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela))).body).toEqual({ electronic: true });

    const chosen = await t.http.put('/v1/citizen/paper-preference').set(bearer(citizen));
    expect(chosen.status).toBe(200);
    expect(chosen.body.paperUntil).toEqual(expect.any(String));
    expect((await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela))).body).toEqual({ electronic: false });
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija));
    expect(sent.body.route).toBe('paper');
    const view = await eventually(async () => {
      const r = await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela));
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(view.paperReason).toBe('opted-out-to-paper');
  });
});
