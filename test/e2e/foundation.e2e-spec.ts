import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { appTargets } from '../support/app-targets';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe.each(appTargets('foundation flows'))('the foundation flows ($name)', (target) => {
  let t: TestApp;
  let kela: string;
  let vero: string;
  beforeAll(async () => {
    t = await startTestApp({ env: target.env() });
    await registerAgency(t, 'kela');
    await registerAgency(t, 'vero');
    kela = await t.token({ role: 'agency', agency: 'kela' });
    vero = await t.token({ role: 'agency', agency: 'vero' });
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  describe('ordinary delivery', () => {
    it('shows the date of deemed service (third day, Helsinki) to both sides from the moment of sending', async () => {
      const citizen = await openAccountWithConsent(t, HETU.matti, 'kela');
      const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.matti, { delivery: 'ordinary', kind: 'notice' }));
      expect(sent.status).toBe(201);
      expect(sent.body.route).toBe('electronic');
      expect(sent.body.deemedServedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const opened = await t.http.get(`/v1/citizen/messages/${sent.body.id}`).set(bearer(citizen));
      expect(opened.body).toMatchObject({ delivery: 'ordinary', body: expect.any(String), acknowledgementRequired: false, deemedServedOn: sent.body.deemedServedOn });
      const view = await eventually(async () => {
        const r = await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela));
        expect(r.body.state).toBe('read');
        return r.body;
      });
      expect(view.deemedServedOn).toBe(sent.body.deemedServedOn);
      expect(view.deemedServedAt).toBe(opened.body.deemedServedAt);
    });
  });

  describe('routing to paper', () => {
    it('routes to paper when the recipient has no account, and tells the agency at once', async () => {
      const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.aino));
      expect(sent.status).toBe(201);
      expect(sent.body.route).toBe('paper');
      const view = await eventually(async () => {
        const r = await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela));
        expect(r.status).toBe(200);
        return r.body;
      });
      expect(view).toMatchObject({ route: 'paper', state: 'paper', paperReason: 'no-account' });
      // The agency learns at once; the print hand-off follows from the worker.
      await eventually(async () => {
        const feed = await t.http.get('/v1/agency/events?limit=1000').set(bearer(kela));
        const types = feed.body.items.filter((i: { messageId: string }) => i.messageId === sent.body.id).map((i: { type: string }) => i.type);
        expect(types).toEqual(['sent', 'routed-to-paper', 'handed-to-print']);
      });
    });

    it('routes to paper when the account is open but this agency has no consent', async () => {
      await openAccountWithConsent(t, HETU.maija, 'kela');
      const sent = await t.http.post('/v1/agency/messages').set(bearer(vero)).send(decision(HETU.maija));
      expect(sent.body.route).toBe('paper');
      const check = await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(vero));
      expect(check.body).toEqual({ electronic: false });
      const checkKela = await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela));
      expect(checkKela.body).toEqual({ electronic: true });
    });

    it('keeps a message routed to paper out of the citizen inbox (404 to open it)', async () => {
      const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
      const sent = await t.http.post('/v1/agency/messages').set(bearer(vero)).send(decision(HETU.maija));
      const opened = await t.http.get(`/v1/citizen/messages/${sent.body.id}`).set(bearer(citizen));
      expect(opened.status).toBe(404);
    });

    it('answers the bulk recipient check with the electronic subset and the invalid entries', async () => {
      const answer = await t.http.post('/v1/agency/recipients').set(bearer(kela)).send({ hetus: [HETU.maija, HETU.aino, '131052-308A'] });
      expect(answer.status).toBe(200);
      await eventually(async () => {
        const r = await t.http.post('/v1/agency/recipients').set(bearer(kela)).send({ hetus: [HETU.maija, HETU.aino, '131052-308A'] });
        expect(r.body).toEqual({ electronic: [HETU.maija], invalid: ['131052-308A'] });
      });
    });
  });

  describe('idempotency by externalId', () => {
    it('answers a repeated externalId with 409 and the original id, and creates nothing', async () => {
      const body = decision(HETU.maija, { externalId: 'kela-repeat-1' });
      const first = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(body);
      expect(first.status).toBe(201);
      const second = await t.http.post('/v1/agency/messages').set(bearer(kela)).send({ ...body, subject: 'different' });
      expect(second.status).toBe(409);
      expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(second.body).toMatchObject({ status: 409, id: first.body.id, externalId: 'kela-repeat-1' });
      const auditor = await t.token({ role: 'auditor' });
      const stream = await t.http.get(`/v1/audit/streams/message-${first.body.id}`).set(bearer(auditor));
      expect(stream.body.items.filter((e: { type: string }) => e.type === 'MessageSent')).toHaveLength(1);
    });

    it('lets another agency use the same externalId for its own message', async () => {
      const a = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija, { externalId: 'shared-key' }));
      const b = await t.http.post('/v1/agency/messages').set(bearer(vero)).send(decision(HETU.maija, { externalId: 'shared-key' }));
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).not.toBe(b.body.id);
    });

    it('creates exactly one message when the same externalId is sent 10 times concurrently', async () => {
      const body = decision(HETU.maija, { externalId: 'kela-race' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/v1/agency/messages').set(bearer(kela)).send(body)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    });
  });

  describe('isolation', () => {
    it('gives another citizen and another agency 404 for a message, never revealing it exists', async () => {
      const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija));
      const stranger = await t.token({ role: 'citizen', hetu: HETU.matti });
      expect((await t.http.get(`/v1/citizen/messages/${sent.body.id}`).set(bearer(stranger))).status).toBe(404);
      expect((await t.http.post(`/v1/citizen/messages/${sent.body.id}/acknowledgement`).set(bearer(stranger))).status).toBe(404);
      await eventually(async () => expect((await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(kela))).status).toBe(200));
      const other = await t.http.get(`/v1/agency/messages/${sent.body.id}`).set(bearer(vero));
      expect(other.status).toBe(404);
      const missing = await t.http.get('/v1/agency/messages/m-does-not-exist').set(bearer(kela));
      expect(other.body.detail).toBe(missing.body.detail);
      const strangerInbox = await t.http.get('/v1/citizen/messages').set(bearer(stranger));
      expect(strangerInbox.body.items.map((i: { id: string }) => i.id)).not.toContain(sent.body.id);
    });

    it('keeps each agency feed to its own messages', async () => {
      const feed = await t.http.get('/v1/agency/events?limit=1000').set(bearer(vero));
      const kelaMessages = await t.http.get('/v1/agency/messages?limit=1000').set(bearer(kela));
      const kelaIds = new Set(kelaMessages.body.items.map((m: { id: string }) => m.id));
      expect(feed.body.items.length).toBeGreaterThan(0);
      for (const item of feed.body.items) expect(kelaIds.has(item.messageId)).toBe(false);
    });
  });

  describe('agency event feed', () => {
    it('pages in log order with next, and resumes from any item\'s own cursor', async () => {
      const all = (await t.http.get('/v1/agency/events?limit=1000').set(bearer(kela))).body.items as { cursor: string }[];
      expect(all.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page: { status: number; body: { items: { cursor: string }[]; next: string | null } } = await t.http.get(`/v1/agency/events?limit=2${next ? `&cursor=${next}` : ''}`).set(bearer(kela));
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: { cursor: string }) => i.cursor));
        next = page.body.next;
      } while (next);
      expect(seen).toEqual(all.map((i) => i.cursor));
      const resumed = await t.http.get(`/v1/agency/events?cursor=${all[1]!.cursor}&limit=1000`).set(bearer(kela));
      expect(resumed.body.items.map((i: { cursor: string }) => i.cursor)).toEqual(all.slice(2).map((i) => i.cursor));
      expect(all.map((i) => BigInt(i.cursor))).toEqual([...all.map((i) => BigInt(i.cursor))].sort((a, b) => (a < b ? -1 : 1)));
    });
  });

  describe('roles and tokens', () => {
    it.each([
      ['no token', undefined, 401],
      ['a malformed token', 'not-a-jwt', 401],
    ])('answers %s with 401 problem+json', async (_name, token, status) => {
      const request = t.http.get('/v1/citizen/messages');
      const response = token ? await request.set(bearer(token)) : await request;
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers a citizen calling an agency route with 403', async () => {
      const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
      const response = await t.http.post('/v1/agency/messages').set(bearer(citizen)).send(decision(HETU.maija));
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('urn:asiointitili:problem:forbidden');
    });

    it('lets an auditor read but gives 403 on every write route', async () => {
      const auditor = await t.token({ role: 'auditor' });
      expect((await t.http.post('/v1/agency/messages').set(bearer(auditor)).send(decision(HETU.maija))).status).toBe(403);
      expect((await t.http.post('/v1/admin/agencies').set(bearer(auditor)).send({ id: 'x', name: 'x', businessId: '0737546-2' })).status).toBe(403);
      expect((await t.http.get('/v1/audit/verify').set(bearer(auditor))).status).toBe(200);
    });

    it('serves the public evidence keys without a token and with no private parts', async () => {
      const keys = await t.http.get('/v1/keys');
      expect(keys.status).toBe(200);
      expect(keys.body.keys.length).toBeGreaterThan(0);
      for (const key of keys.body.keys) expect(key).not.toHaveProperty('d');
    });
  });

  describe('account life cycle', () => {
    it('opens once (409 the second time), grants and revokes consents, and closes once', async () => {
      const citizen = await t.token({ role: 'citizen', hetu: HETU.aino });
      expect((await t.http.get('/v1/citizen/account').set(bearer(citizen))).status).toBe(404);
      const opened = await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'sv', email: 'aino@example.fi' });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({ status: 'open', language: 'sv', email: 'aino@example.fi', consents: [] });
      expect((await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'sv' })).status).toBe(409);
      expect((await t.http.put('/v1/citizen/consents/unknown-agency').set(bearer(citizen))).status).toBe(404);
      const granted = await t.http.put('/v1/citizen/consents/vero').set(bearer(citizen));
      expect(granted.status).toBe(200);
      expect(granted.body.consents).toEqual([{ agencyId: 'vero', grantedAt: expect.any(String) }]);
      expect((await t.http.delete('/v1/citizen/consents/kela').set(bearer(citizen))).status).toBe(404);
      expect((await t.http.delete('/v1/citizen/consents/vero').set(bearer(citizen))).status).toBe(200);
      const closed = await t.http.delete('/v1/citizen/account').set(bearer(citizen));
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      expect((await t.http.delete('/v1/citizen/account').set(bearer(citizen))).status).toBe(409);
      expect((await t.http.put('/v1/citizen/consents/vero').set(bearer(citizen))).status).toBe(409);
    });
  });
});
