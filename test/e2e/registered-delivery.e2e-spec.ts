import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { appTargets } from '../support/app-targets';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

describe.each(appTargets('registered delivery'))('registered delivery, end to end ($name)', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: target.env() });
    await registerAgency(t, 'kela');
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  it('delivers a registered decision that opens only after the recipient acknowledges it, with a verifiable trail', async () => {
    const citizen = await openAccountWithConsent(t, HETU.maija, 'kela');
    const agency = await t.token({ role: 'agency', agency: 'kela' });
    const auditor = await t.token({ role: 'auditor' });

    const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija, { externalId: 'kela-2026-1' }));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ id: expect.any(String), route: 'electronic' });
    const id: string = sent.body.id;

    const inbox = await eventually(async () => {
      const r = await t.http.get('/v1/citizen/messages').set('Authorization', `Bearer ${citizen}`);
      expect(r.body.items).toHaveLength(1);
      return r.body;
    });
    expect(inbox.items[0]).toMatchObject({ id, agencyId: 'kela', delivery: 'registered', state: 'unread', acknowledgementRequired: true });
    expect(inbox.next).toBeNull();

    const closed = await t.http.get(`/v1/citizen/messages/${id}`).set('Authorization', `Bearer ${citizen}`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, body: null, attachments: null, acknowledgementRequired: true, state: 'read' });

    const ack = await t.http.post(`/v1/citizen/messages/${id}/acknowledgement`).set('Authorization', `Bearer ${citizen}`);
    expect(ack.status).toBe(201);
    const acknowledgedAt: string = ack.body.acknowledgedAt;
    expect(new Date(acknowledgedAt).toISOString()).toBe(acknowledgedAt);

    const again = await t.http.post(`/v1/citizen/messages/${id}/acknowledgement`).set('Authorization', `Bearer ${citizen}`);
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedAt).toBe(acknowledgedAt);

    const opened = await t.http.get(`/v1/citizen/messages/${id}`).set('Authorization', `Bearer ${citizen}`);
    expect(opened.body).toMatchObject({ state: 'acknowledged', body: expect.stringContaining('toimeentulotukea'), attachments: [], acknowledgementRequired: false });

    const view = await eventually(async () => {
      const r = await t.http.get(`/v1/agency/messages/${id}`).set('Authorization', `Bearer ${agency}`);
      expect(r.body.state).toBe('acknowledged');
      return r.body;
    });
    expect(view).toMatchObject({ id, route: 'electronic', acknowledgedAt, acknowledgement: { method: 'bank', assurance: 'high' }, externalId: 'kela-2026-1' });
    expect(view.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'MessageRead', 'ReceiptAcknowledged']);
    expect(view.trail[2]).toMatchObject({ actor: { type: 'citizen', method: 'bank', assurance: 'high' }, evidence: ['ContentHandover'] });
    expect(JSON.stringify(view.trail)).not.toContain(HETU.maija);

    const feed = await t.http.get('/v1/agency/events').set('Authorization', `Bearer ${agency}`);
    expect(feed.body.items.map((i: { type: string }) => i.type)).toEqual(['sent', 'read', 'acknowledged']);
    expect(feed.body.items[0]).toMatchObject({ messageId: id, externalId: 'kela-2026-1' });

    const verify = await t.http.get('/v1/audit/verify').set('Authorization', `Bearer ${auditor}`);
    expect(verify.body).toMatchObject({ ok: true, failures: [] });
    expect(verify.body.events).toBeGreaterThanOrEqual(5);

    const stream = await t.http.get(`/v1/audit/streams/message-${id}`).set('Authorization', `Bearer ${auditor}`);
    expect(stream.body.items.map((e: { type: string }) => e.type)).toEqual(['MessageSent', 'MessageRead', 'ReceiptAcknowledged']);
    expect(stream.body.items[1].prevHash).toBe(stream.body.items[0].hash);

    const replay = await t.http.get(`/v1/audit/streams/message-${id}/replay?until=1`).set('Authorization', `Bearer ${auditor}`);
    expect(replay.body.steps).toHaveLength(2);
    expect(replay.body.steps[1].state.readAt).toBeDefined();
    expect(replay.body.steps[1].state.acknowledgement).toBeUndefined();
  });

  it('refuses to acknowledge an ordinary message with 409', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
    const agency = await t.token({ role: 'agency', agency: 'kela' });
    const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija, { delivery: 'ordinary' }));
    expect(sent.status).toBe(201);
    const ack = await t.http.post(`/v1/citizen/messages/${sent.body.id}/acknowledgement`).set('Authorization', `Bearer ${citizen}`);
    expect(ack.status).toBe(409);
    expect(ack.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
