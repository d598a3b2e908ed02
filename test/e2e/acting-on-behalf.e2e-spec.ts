import { ManualClock, type EventToAppend } from '@asiointitili/core';
import { hetuCheckCharacter } from '@asiointitili/domain';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { appTargets } from '../support/app-targets';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';

/** A synthetic henkilötunnus with a valid check character (individual number 2..899). */
function hetu(ddmmyy: string, centurySign: '-' | 'A', individual: number): string {
  const number = String(individual).padStart(3, '0');
  return `${ddmmyy}${centurySign}${number}${hetuCheckCharacter(ddmmyy + number)}`;
}

const START = '2026-12-07T10:00:00.000Z'; // Monday 7 December 2026, 12:00 Helsinki
const CHILD = hetu('150312', 'A', 321); // born 15 March 2012: 18 on 15 March 2030
const GUARDIAN = HETU.maija;
const STRANGER = HETU.aino;
const OTHER_AGENT = HETU.matti;

describe.each(appTargets('acting on behalf'))('acting on behalf of another person (13/2003 §18), end to end ($name)', (target) => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let admin: string;
  const as = async (who: string) => t.token({ role: 'citizen', hetu: who, acr: 'high', amr: 'bank' });
  const recordMandate = async (body: Record<string, unknown>) => t.http.post('/v1/admin/mandates').set('Authorization', `Bearer ${admin}`).send(body);

  beforeAll(async () => {
    clock.set(START); // each target starts on the same day
    t = await startTestApp({ clock, env: { ...target.env(), WEBHOOK_INTERVAL_MS: '20' } });
    await registerAgency(t, 'kela');
    admin = await t.token({ role: 'admin' });
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  const actFor = (path: string, token: string, mandateId: string) => t.http.get(path).set('Authorization', `Bearer ${token}`).set('X-Act-For', mandateId);

  describe('the mandate register', () => {
    it('records a guardian mandate, lists it for the agent only, and keeps no henkilötunnus in the log', async () => {
      const created = await recordMandate({ principal: { hetu: CHILD }, agent: { hetu: GUARDIAN }, relation: 'guardian', scopes: ['acknowledge', 'read'] });
      expect(created.status).toBe(201);
      const id: string = created.body.id;

      const mine = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(GUARDIAN)}`);
      expect(mine.status).toBe(200);
      // A guardian's mandate is in force until the day before the 18th birthday.
      expect(mine.body.items).toContainEqual({ id, relation: 'guardian', scopes: ['read', 'acknowledge'], validUntil: '2030-03-14' });
      expect(JSON.stringify(mine.body)).not.toContain(CHILD);

      const theirs = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(OTHER_AGENT)}`);
      expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(id);

      const auditor = await t.token({ role: 'auditor' });
      const stream = await t.http.get(`/v1/audit/streams/mandate-${id}`).set('Authorization', `Bearer ${auditor}`);
      expect(stream.status).toBe(200);
      expect(stream.body.items.map((e: { type: string }) => e.type)).toEqual(['MandateRecorded']);
      expect(JSON.stringify(stream.body)).not.toContain(CHILD);
      expect(JSON.stringify(stream.body)).not.toContain(GUARDIAN);
    });

    it('refuses a guardian mandate for an adult or for oneself (422) and an unknown scope or invalid henkilötunnus (400), recording nothing', async () => {
      const before = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      const adult = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'guardian', scopes: ['read'] });
      expect(adult.status).toBe(422);
      const self = await recordMandate({ principal: { hetu: STRANGER }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'] });
      expect(self.status).toBe(422);
      const scopes = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['delete'] });
      expect(scopes.status).toBe(400);
      const badHetu = await recordMandate({ principal: { hetu: '131052-308X' }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'] });
      expect(badHetu.status).toBe(400);
      const after = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(after.body.items).toEqual(before.body.items);
    });

    it('ends a mandate: it leaves the agent\'s list at once; ending it again changes nothing; an unknown id is 404', async () => {
      const created = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'], validUntil: '2027-06-30' });
      expect(created.status).toBe(201);
      const listed = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(listed.body.items).toContainEqual({ id: created.body.id, relation: 'mandate', scopes: ['read'], validUntil: '2027-06-30' });

      const ended = await t.http.delete(`/v1/admin/mandates/${created.body.id}`).set('Authorization', `Bearer ${admin}`);
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ id: created.body.id, endedAt: START });
      const again = await t.http.delete(`/v1/admin/mandates/${created.body.id}`).set('Authorization', `Bearer ${admin}`);
      expect(again.status).toBe(200);
      expect(again.body.endedAt).toBe(START);

      const gone = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(gone.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
      const unknown = await t.http.delete('/v1/admin/mandates/md-unknown').set('Authorization', `Bearer ${admin}`);
      expect(unknown.status).toBe(404);
    });

    it('lets only the operator record mandates', async () => {
      const citizen = await t.http.post('/v1/admin/mandates').set('Authorization', `Bearer ${await as(GUARDIAN)}`).send({ principal: { hetu: CHILD }, agent: { hetu: GUARDIAN }, relation: 'guardian', scopes: ['read'] });
      expect(citizen.status).toBe(403);
    });
  });

  describe('acting for the principal with X-Act-For', () => {
    let agency: string;
    let registered: string;
    let confidential: string;
    let guardianship: string;
    let readOnly: string;

    beforeAll(async () => {
      await openAccountWithConsent(t, CHILD, 'kela');
      agency = await t.token({ role: 'agency', agency: 'kela' });
      const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(CHILD, { externalId: 'kela-child-1' }));
      expect(sent.status).toBe(201);
      registered = sent.body.id;
      const secret = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(CHILD, { externalId: 'kela-child-2', delivery: 'ordinary', confidential: true }));
      expect(secret.status).toBe(201);
      confidential = secret.body.id;
      guardianship = (await recordMandate({ principal: { hetu: CHILD }, agent: { hetu: GUARDIAN }, relation: 'guardian', scopes: ['read', 'acknowledge'] })).body.id;
      readOnly = (await recordMandate({ principal: { hetu: CHILD }, agent: { hetu: OTHER_AGENT }, relation: 'mandate', scopes: ['read'] })).body.id;
      await t.runtime.projections.readYourWrites((await t.runtime.events.headPosition()) ?? undefined);
    });

    it('shows the principal\'s inbox to a guardian, without the confidential message, which the principal sees', async () => {
      const guardian = await as(GUARDIAN);
      const inbox = await actFor('/v1/citizen/messages', guardian, guardianship);
      expect(inbox.status).toBe(200);
      expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([registered]);
      const own = await t.http.get('/v1/citizen/messages').set('Authorization', `Bearer ${await as(CHILD)}`);
      expect(own.body.items.map((i: { id: string }) => i.id).sort()).toEqual([registered, confidential].sort());
      const hidden = await actFor(`/v1/citizen/messages/${confidential}`, guardian, guardianship);
      expect(hidden.status).toBe(404);
      // Without X-Act-For the guardian sees only their own (empty) inbox.
      const guardiansOwn = await t.http.get('/v1/citizen/messages').set('Authorization', `Bearer ${guardian}`);
      expect(guardiansOwn.body.items).toEqual([]);
    });

    it('refuses an unknown mandate id and another agent\'s mandate with 404, and a missing scope with 403', async () => {
      expect((await actFor('/v1/citizen/messages', await as(GUARDIAN), 'md-doesnotexist')).status).toBe(404);
      // The principal's other agent holds a mandate too, but not this one.
      expect((await actFor('/v1/citizen/messages', await as(OTHER_AGENT), guardianship)).status).toBe(404);
      expect((await actFor('/v1/citizen/messages', await as(STRANGER), readOnly)).status).toBe(404);
      const other = await as(OTHER_AGENT);
      expect((await actFor('/v1/citizen/messages', other, readOnly)).status).toBe(200);
      const ack = await t.http.post(`/v1/citizen/messages/${registered}/acknowledgement`).set('Authorization', `Bearer ${other}`).set('X-Act-For', readOnly);
      expect(ack.status).toBe(403);
      expect(ack.body.type).toBe('urn:asiointitili:problem:mandate-out-of-scope');
      // The guardian may read and acknowledge, but neither reply nor apply for the child.
      const guardian = await as(GUARDIAN);
      const reply = await t.http.post(`/v1/citizen/messages/${registered}/replies`).set('Authorization', `Bearer ${guardian}`).set('X-Act-For', guardianship).send({ body: 'Kiitos.' });
      expect(reply.status).toBe(403);
      const apply = await t.http.post('/v1/citizen/applications').set('Authorization', `Bearer ${guardian}`).set('X-Act-For', guardianship).send({ agencyId: 'kela', subject: 'Hakemus', body: 'Haen tukea.' });
      expect(apply.status).toBe(403);
      expect(apply.body.type).toBe('urn:asiointitili:problem:mandate-out-of-scope');
    });

    it('records a registered acknowledgement by a guardian with both: the guardian as the actor (method, assurance) and the child acted for', async () => {
      const guardian = await t.token({ role: 'citizen', hetu: GUARDIAN, acr: 'substantial', amr: 'mobile' });
      const ack = await t.http.post(`/v1/citizen/messages/${registered}/acknowledgement`).set('Authorization', `Bearer ${guardian}`).set('X-Act-For', guardianship);
      expect(ack.status).toBe(201);
      const opened = await actFor(`/v1/citizen/messages/${registered}`, guardian, guardianship);
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ state: 'acknowledged', body: expect.stringContaining('toimeentulotukea') });

      const events = await t.runtime.events.readStream(`message-${registered}`);
      const acknowledged = events.find((e) => e.type === 'ReceiptAcknowledged')!;
      expect(acknowledged.metadata.actor).toEqual({
        type: 'citizen',
        id: t.runtime.citizenRefs.refOf(GUARDIAN),
        method: 'mobile',
        assurance: 'substantial',
        actingFor: { citizenRef: t.runtime.citizenRefs.refOf(CHILD), mandateId: guardianship, relation: 'guardian' },
      });
      expect(JSON.stringify(events.map((e) => ({ data: e.data, metadata: e.metadata })))).not.toContain(CHILD);

      // The agency's view and feed are projections: they may lag the write by a moment.
      const step = await eventually(async () => {
        const view = await t.http.get(`/v1/agency/messages/${registered}`).set('Authorization', `Bearer ${agency}`);
        const found = view.body.trail.find((s: { type: string }) => s.type === 'ReceiptAcknowledged');
        expect(found).toBeDefined();
        return found;
      });
      expect(step.actor).toEqual({ type: 'citizen', method: 'mobile', assurance: 'substantial', actingFor: { mandateId: guardianship, relation: 'guardian' } });

      const feed = await eventually(async () => {
        const page = await t.http.get('/v1/agency/events').set('Authorization', `Bearer ${agency}`);
        expect(page.body.items.some((i: { type: string; messageId?: string }) => i.type === 'acknowledged' && i.messageId === registered)).toBe(true);
        return page;
      });
      const acknowledgedItem = feed.body.items.find((i: { type: string; messageId?: string }) => i.type === 'acknowledged' && i.messageId === registered);
      expect(acknowledgedItem.actingFor).toEqual({ mandateId: guardianship, relation: 'guardian' });
      expect(feed.body.items.find((i: { type: string }) => i.type === 'sent').actingFor).toBeUndefined();

      // The signed proof of service names the child served (citizenRef) and the guardian who acknowledged.
      const proof = await t.http.get(`/v1/agency/messages/${registered}/proof`).set('Authorization', `Bearer ${agency}`);
      expect(proof.status).toBe(200);
      const payload = JSON.parse(Buffer.from(String(proof.body.proof).split('.')[1]!, 'base64url').toString('utf8'));
      expect(payload.citizenRef).toBe(t.runtime.citizenRefs.refOf(CHILD));
      expect(payload.service).toEqual({
        status: 'acknowledged',
        at: ack.body.acknowledgedAt,
        method: 'mobile',
        assurance: 'substantial',
        onBehalf: { agentRef: t.runtime.citizenRefs.refOf(GUARDIAN), mandateId: guardianship, relation: 'guardian' },
      });
    });

    it('refuses X-Act-For on a call that cannot be made on behalf (the principal\'s account) with 403', async () => {
      const refused = await actFor('/v1/citizen/account', await as(GUARDIAN), guardianship);
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:asiointitili:problem:not-on-behalf');
    });

    it('refuses a mandate once it has been ended (403)', async () => {
      const other = await as(OTHER_AGENT);
      const ended = await t.http.delete(`/v1/admin/mandates/${readOnly}`).set('Authorization', `Bearer ${admin}`);
      expect(ended.status).toBe(200);
      const refused = await actFor('/v1/citizen/messages', other, readOnly);
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:asiointitili:problem:mandate-ended');
    });

    it('refuses a mandate after its last valid day (403), and lists it no more', async () => {
      const shortLived = (await recordMandate({ principal: { hetu: CHILD }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'], validUntil: '2026-12-10' })).body.id;
      expect((await actFor('/v1/citizen/messages', await as(STRANGER), shortLived)).status).toBe(200);
      clock.set('2026-12-10T22:00:00.000Z'); // 11 December, 00:00 Helsinki
      const stranger = await as(STRANGER);
      const refused = await actFor('/v1/citizen/messages', stranger, shortLived);
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:asiointitili:problem:mandate-expired');
      const listed = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${stranger}`);
      expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(shortLived);
    });
  });
  describe('the agency feed and its webhooks: an acted-on-behalf item for every act on behalf', () => {
    const PRINCIPAL = hetu('010190', '-', 234);
    const AGENT = hetu('020285', '-', 345);
    type Item = { cursor: string; type: string; messageId?: string; applicationId?: string; replyId?: string; act?: string; actingFor?: { mandateId: string; relation: string } };
    let agency: string;
    let mandate: string;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const ids = { ordinary: '', registered: '', own: '', secret: '', application: '' };

    const feedItems = async (): Promise<Item[]> => (await t.http.get('/v1/agency/events?limit=1000').set('Authorization', `Bearer ${agency}`)).body.items;
    const itemsOf = (items: readonly Item[], id: string) => items.filter((i) => i.messageId === id || i.applicationId === id);
    const agentCall = async (method: 'get' | 'post', path: string, body?: object) => {
      const call = t.http[method](path).set('Authorization', `Bearer ${await as(AGENT)}`).set('X-Act-For', mandate);
      return body === undefined ? call : call.send(body);
    };

    beforeAll(async () => {
      // Fresh tokens: an earlier test moved the clock past the first ones' lifetime.
      admin = await t.token({ role: 'admin' });
      agency = await t.token({ role: 'agency', agency: 'kela' });
      receiver = await startReceiver(() => 204);
      const subscribed = await t.http.post('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`).send({ url: receiver.url });
      expect(subscribed.status).toBe(201);
      await openAccountWithConsent(t, PRINCIPAL, 'kela');
      const send = async (overrides: Record<string, unknown>) => {
        const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(PRINCIPAL, overrides));
        expect(sent.status).toBe(201);
        return sent.body.id as string;
      };
      ids.ordinary = await send({ externalId: 'kela-p-1', delivery: 'ordinary', replyAllowed: true });
      ids.registered = await send({ externalId: 'kela-p-2' });
      ids.own = await send({ externalId: 'kela-p-3', delivery: 'ordinary' });
      ids.secret = await send({ externalId: 'kela-p-4', delivery: 'ordinary', confidential: true });
      const created = await recordMandate({ principal: { hetu: PRINCIPAL }, agent: { hetu: AGENT }, relation: 'mandate', scopes: ['read', 'acknowledge', 'reply', 'apply'] });
      expect(created.status).toBe(201);
      mandate = created.body.id;
      await t.runtime.projections.readYourWrites((await t.runtime.events.headPosition()) ?? undefined);
    });
    afterAll(() => receiver.close());

    it('gives an agent\'s opening, acknowledgement, reply and application one acted-on-behalf item each, right after the act\'s own, naming the act, the mandate and the relation, never a henkilötunnus', async () => {
      expect((await agentCall('get', `/v1/citizen/messages/${ids.ordinary}`)).status).toBe(200);
      expect((await agentCall('post', `/v1/citizen/messages/${ids.registered}/acknowledgement`)).status).toBe(201);
      const reply = await agentCall('post', `/v1/citizen/messages/${ids.ordinary}/replies`, { body: 'Kiitos, tieto on saatu.' });
      expect(reply.status).toBe(201);
      const applied = await agentCall('post', '/v1/citizen/applications', { agencyId: 'kela', subject: 'Hakemus', body: 'Haen tukea.' });
      expect(applied.status).toBe(201);
      ids.application = applied.body.id;

      const items = await eventually(async () => {
        const all = await feedItems();
        expect(itemsOf(all, ids.application).map((i) => i.type)).toEqual(['application', 'acted-on-behalf']);
        return all;
      });
      const actingFor = { mandateId: mandate, relation: 'mandate' };
      const acted = (act: string, extra: Partial<Item> = {}) => expect.objectContaining({ type: 'acted-on-behalf', act, actingFor, ...extra });
      expect(itemsOf(items, ids.ordinary)).toEqual([
        expect.objectContaining({ type: 'sent' }),
        expect.objectContaining({ type: 'read', actingFor }),
        acted('read', { messageId: ids.ordinary }),
        expect.objectContaining({ type: 'reply', replyId: reply.body.id, actingFor }),
        acted('replied', { messageId: ids.ordinary, replyId: reply.body.id }),
      ]);
      expect(itemsOf(items, ids.registered)).toEqual([expect.objectContaining({ type: 'sent' }), expect.objectContaining({ type: 'acknowledged', actingFor }), acted('acknowledged')]);
      expect(itemsOf(items, ids.application)).toEqual([expect.objectContaining({ type: 'application', actingFor }), acted('applied', { applicationId: ids.application })]);
      // Each acted-on-behalf item is the very next item of the feed after its act's, with a cursor of its own.
      for (const item of items.filter((i) => i.type === 'acted-on-behalf' && [ids.ordinary, ids.registered, ids.application].includes(i.messageId ?? i.applicationId ?? ''))) {
        const previous = items[items.indexOf(item) - 1]!;
        expect(previous.messageId ?? previous.applicationId).toBe(item.messageId ?? item.applicationId);
        expect(BigInt(item.cursor)).toBeGreaterThan(BigInt(previous.cursor));
      }
      const text = JSON.stringify(items);
      for (const secret of [PRINCIPAL, AGENT, t.runtime.citizenRefs.refOf(PRINCIPAL), t.runtime.citizenRefs.refOf(AGENT)]) expect(text).not.toContain(secret);

      // The log keeps the facts with citizenRefs only: the agent and the person acted for.
      const recorded = (await t.runtime.events.readStream(`message-${ids.registered}`)).filter((e) => e.type === 'ActedOnBehalf');
      expect(recorded.map((e) => e.data)).toEqual([
        expect.objectContaining({ act: 'acknowledged', citizenRef: t.runtime.citizenRefs.refOf(PRINCIPAL), agentRef: t.runtime.citizenRefs.refOf(AGENT), mandateId: mandate, relation: 'mandate' }),
      ]);
      const stored = JSON.stringify(recorded.map((e) => ({ data: e.data, metadata: e.metadata })));
      expect(stored).not.toContain(PRINCIPAL);
      expect(stored).not.toContain(AGENT);
    });

    it('records no second acted-on-behalf item when an act is repeated, or its command retried with the same deterministic event ids', async () => {
      expect((await agentCall('get', `/v1/citizen/messages/${ids.ordinary}`)).status).toBe(200);
      const again = await agentCall('post', `/v1/citizen/messages/${ids.registered}/acknowledgement`);
      expect(again.status).toBe(200);

      // A retry of the append that recorded the acknowledgement: the same events, the same ids, the same expected revision.
      const stream = `message-${ids.registered}`;
      const before = await t.runtime.events.readStream(stream);
      const ack = before.findIndex((e) => e.type === 'ReceiptAcknowledged');
      const retried: EventToAppend[] = before.slice(ack, ack + 2).map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
      expect(retried.map((e) => e.type)).toEqual(['ReceiptAcknowledged', 'ActedOnBehalf']);
      const result = await t.runtime.events.append(stream, retried, before[ack - 1]!.revision);
      expect(result.position).toBe(before[ack + 1]!.position);
      expect(await t.runtime.events.readStream(stream)).toHaveLength(before.length);

      await t.runtime.projections.readYourWrites((await t.runtime.events.headPosition()) ?? undefined);
      const items = await feedItems();
      expect(itemsOf(items, ids.registered).filter((i) => i.type === 'acted-on-behalf')).toHaveLength(1);
      expect(itemsOf(items, ids.ordinary).filter((i) => i.type === 'acted-on-behalf' && i.act === 'read')).toHaveLength(1);
    });

    it('gives the person\'s own act no acted-on-behalf item, and an agent\'s refused call on a confidential message none either', async () => {
      expect((await t.http.get(`/v1/citizen/messages/${ids.own}`).set('Authorization', `Bearer ${await as(PRINCIPAL)}`)).status).toBe(200);
      expect((await agentCall('get', `/v1/citizen/messages/${ids.secret}`)).status).toBe(404);
      const items = await eventually(async () => {
        const all = await feedItems();
        expect(itemsOf(all, ids.own).map((i) => i.type)).toEqual(['sent', 'read']);
        return all;
      });
      expect(itemsOf(items, ids.own)[1]!.actingFor).toBeUndefined();
      expect(itemsOf(items, ids.secret).map((i) => i.type)).toEqual(['sent']);
    });

    it('pushes the same acted-on-behalf items to the agency\'s webhook, each in its own request', async () => {
      // The webhook pushes what was recorded after it was subscribed: this block's acts.
      const mine = [ids.ordinary, ids.registered, ids.application];
      const feed = (await feedItems()).filter((i) => i.type === 'acted-on-behalf' && mine.includes(i.messageId ?? i.applicationId ?? ''));
      expect(feed).toHaveLength(4);
      // Signatures are the webhooks suite's; here the clock is moved days ahead, past the verifier's tolerance.
      const pushed = await eventually(async () => {
        const items = receiver.received.map((r) => JSON.parse(r.body) as Item).filter((i) => i.type === 'acted-on-behalf');
        expect(items.length).toBeGreaterThanOrEqual(feed.length);
        return items;
      }, 10_000);
      expect(pushed).toEqual(feed);
      expect(receiver.received.filter((r) => JSON.parse(r.body).type === 'acted-on-behalf').map((r) => r.headers['webhook-id'])).toEqual(feed.map((i) => `evt_${i.cursor}`));
    });
  });
});
