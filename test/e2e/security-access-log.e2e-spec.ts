import { ManualClock, type RecordedEvent } from '@asiointitili/core';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { TokenService } from '../../libs/app/src/auth/token-service';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The insider: an auditor or operator reading people's messages through the audit routes. Every
 * such read leaves an AccessRecorded (who, which route and stream, when, under which correlation
 * id) in the day's access stream, hash-chained like every other event, readable by auditors.
 */
describe('access log of auditors’ and operators’ reads', () => {
  let t: TestApp;
  let anna: string;
  let messageId: string;
  const clock = new ManualClock('2025-11-24T21:30:00.000Z');
  const today = 'access-2025-11-24';

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await registerAgency(t, 'kela');
    await openAccountWithConsent(t, HETU.maija, 'kela');
    const sent = await t.http.post('/v1/agency/messages').set(bearer(await t.token({ role: 'agency', agency: 'kela' }))).send(decision(HETU.maija));
    messageId = sent.body.id as string;
    anna = await t.app.get(TokenService).mint({ role: 'auditor', sub: 'auditor-anna' });
  });
  afterAll(() => t.destroy());

  const accessEvents = async (): Promise<RecordedEvent[]> => t.runtime.events.readStream(today);

  it('records an auditor’s read of a message stream, naming the auditor, the stream, the route and the request id', async () => {
    const before = (await accessEvents()).length;
    const read = await t.http.get(`/v1/audit/streams/message-${messageId}`).set(bearer(anna)).set('X-Request-Id', 'case-2025-117');
    expect(read.status).toBe(200);
    const events = await accessEvents();
    expect(events).toHaveLength(before + 1);
    const recorded = events.at(-1)!;
    expect(recorded.type).toBe('AccessRecorded');
    expect(recorded.data).toEqual({
      reader: { role: 'auditor', id: 'auditor-anna' },
      route: 'GET /v1/audit/streams/:stream',
      resource: `message-${messageId}`,
      correlationId: 'case-2025-117',
      accessedAt: '2025-11-24T21:30:00.000Z',
    });
    expect(recorded.metadata).toMatchObject({ actor: { type: 'auditor', id: 'auditor-anna' }, correlationId: 'case-2025-117', occurredAt: '2025-11-24T21:30:00.000Z' });
  });

  it('records a read of a message trail against the message’s stream, and a replay against the stream replayed', async () => {
    expect((await t.http.get(`/v1/audit/messages/${messageId}/trail`).set(bearer(anna))).status).toBe(200);
    expect((await accessEvents()).at(-1)?.data).toMatchObject({ route: 'GET /v1/audit/messages/:id/trail', resource: `message-${messageId}` });
    expect((await t.http.get(`/v1/audit/streams/message-${messageId}/replay`).set(bearer(anna))).status).toBe(200);
    expect((await accessEvents()).at(-1)?.data).toMatchObject({ route: 'GET /v1/audit/streams/:stream/replay', resource: `message-${messageId}` });
  });

  it('records an operator’s read through the admin API', async () => {
    const admin = await t.app.get(TokenService).mint({ role: 'admin', sub: 'operator-olli' });
    expect((await t.http.get('/v1/admin/agencies/kela/credentials').set(bearer(admin))).status).toBe(200);
    expect((await accessEvents()).at(-1)?.data).toMatchObject({ reader: { role: 'admin', id: 'operator-olli' }, route: 'GET /v1/admin/agencies/:id/credentials', resource: 'agency-kela' });
  });

  it('lets auditors read the access log through the audit routes, replay it, and finds its chain intact', async () => {
    const read = await t.http.get(`/v1/audit/streams/${today}`).set(bearer(anna));
    expect(read.status).toBe(200);
    expect(read.body.items.map((i: { type: string }) => i.type)).toContain('AccessRecorded');
    const replay = await t.http.get(`/v1/audit/streams/${today}/replay`).set(bearer(anna));
    expect(replay.status).toBe(200);
    expect(replay.body.steps.at(-1).state).toEqual({ recorded: replay.body.steps.length, lastAccessAt: '2025-11-24T21:30:00.000Z' });
    const verified = await t.http.get(`/v1/audit/verify?stream=${today}`).set(bearer(anna));
    expect(verified.body).toMatchObject({ ok: true, streams: 1 });
    // Reading the log is itself a read, recorded like any other.
    expect((await accessEvents()).some((e) => e.data.resource === today)).toBe(true);
  });

  it('starts a new stream on the next UTC day', async () => {
    clock.set('2025-11-25T00:00:01.000Z');
    try {
      expect((await t.http.get(`/v1/audit/streams/message-${messageId}`).set(bearer(anna))).status).toBe(200);
      expect((await t.runtime.events.readStream('access-2025-11-25')).map((e) => e.data.resource)).toEqual([`message-${messageId}`]);
    } finally {
      clock.set('2025-11-24T21:30:00.000Z');
    }
  });

  it('records nothing for a refused or failed read, for the integrity check, or for citizens’ and agencies’ own reads', async () => {
    const before = (await accessEvents()).length;
    expect((await t.http.get('/v1/audit/streams/message-nonexistent').set(bearer(anna))).status).toBe(404);
    expect((await t.http.get('/v1/audit/streams/not-a-stream').set(bearer(anna))).status).toBe(400);
    expect((await t.http.get(`/v1/audit/streams/message-${messageId}`)).status).toBe(401);
    expect((await t.http.get('/v1/audit/verify').set(bearer(anna))).status).toBe(200);
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
    expect((await t.http.get('/v1/citizen/messages').set(bearer(citizen))).status).toBe(200);
    expect((await t.http.get('/v1/agency/events').set(bearer(await t.token({ role: 'agency', agency: 'kela' })))).status).toBe(200);
    expect(await accessEvents()).toHaveLength(before);
  });
});
