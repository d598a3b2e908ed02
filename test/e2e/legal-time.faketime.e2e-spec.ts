import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deemedServedAt } from '@asiointitili/domain';
import { cliToken, hasFaketime } from '../support/api-process';
import { call, clockShiftedServer, eventually } from '../support/clock-shifted-api';
import { BUSINESS_ID, HETU, decision } from '../support/fixtures';

const SUITE = 'legal time across restarts under faketime';

/**
 * The real product (compiled, its own process) and the real clock shifted by libfaketime: no
 * test-only endpoint or flag. The server is stopped and started again 4 and 8 days "later"; what
 * fell due meanwhile must happen at the start, once.
 */
const describeWithFaketime = hasFaketime() ? describe : describe.skip;
if (!hasFaketime()) {
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${SUITE}" needs the faketime command (apt-get install faketime); it is not installed, so this suite did not run.`);
}

jest.setTimeout(180_000);

async function outboxTemplates(dataDir: string): Promise<string[]> {
  const text = await readFile(join(dataDir, 'outbox', 'notifications.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => `${JSON.parse(line).template}:${JSON.parse(line).channel}`);
}

describeWithFaketime(SUITE, () => {
  const ids = { ordinary: '', registered: '' };
  let sentAt = '';

  const server = clockShiftedServer('asiointitili-faketime-');

  const tokens = (offset?: string) => ({
    admin: cliToken(server.env, offset, ['--role', 'admin']),
    agency: cliToken(server.env, offset, ['--role', 'agency', '--agency', 'kela']),
    citizen: cliToken(server.env, offset, ['--role', 'citizen', '--hetu', HETU.maija]),
  });

  it('today: sends an ordinary and a registered decision, and tells the citizen by email that they arrived', async () => {
    const api = await server.start();
    const t = tokens();
    expect((await call(api, t.admin, 'POST', '/v1/admin/agencies', { id: 'kela', name: 'Kela', businessId: BUSINESS_ID })).status).toBe(201);
    expect((await call(api, t.citizen, 'POST', '/v1/citizen/account', { language: 'fi', email: 'maija@example.fi' })).status).toBe(201);
    expect((await call(api, t.citizen, 'PUT', '/v1/citizen/consents/kela')).status).toBe(200);

    const ordinary = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { delivery: 'ordinary' }));
    const registered = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { delivery: 'registered' }));
    expect([ordinary.status, ordinary.body.route, registered.status, registered.body.route]).toEqual([201, 'electronic', 201, 'electronic']);
    ids.ordinary = ordinary.body.id;
    ids.registered = registered.body.id;

    const view = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.ordinary}`);
      expect(r.status).toBe(200);
      return r.body;
    });
    sentAt = view.sentAt;
    expect(view).toMatchObject({ state: 'sent', deemedServedAt: deemedServedAt(sentAt) });
    await eventually(async () => expect(await outboxTemplates(server.env.DATA_DIR)).toEqual(['arrival:email', 'arrival:email']));
  });

  it("4 days later: the ordinary decision is deemed served at the start of its 3rd Helsinki day, and the unread registered one was reminded of", async () => {
    const api = await server.start('+4d');
    const t = tokens('+4d');
    const ordinary = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.ordinary}`);
      expect(r.body.state).toBe('deemed-served');
      return r.body;
    });
    expect(ordinary.deemedServedAt).toBe(deemedServedAt(sentAt));
    expect(ordinary.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'ReminderSent', 'MessageDeemedServed']);

    const registered = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.registered}`);
      expect(r.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'ReminderSent', 'ReminderSent']);
      return r.body;
    });
    expect(registered).toMatchObject({ state: 'sent' });
    expect(registered.trail[2].detail).toMatchObject({ reason: 'unread-registered-3-days' });
    expect(await outboxTemplates(server.env.DATA_DIR)).toEqual(['arrival:email', 'arrival:email', 'reminder:email']);

    const feed = await call(api, t.agency, 'GET', '/v1/agency/events?limit=1000');
    expect(feed.body.items.filter((i: { messageId: string }) => i.messageId === ids.ordinary).map((i: { type: string }) => i.type)).toEqual(['sent', 'reminded', 'deemed-served']);
  });

  it('8 days later: the unacknowledged registered decision fell back to paper and went to print; the citizen can no longer acknowledge it', async () => {
    const api = await server.start('+8d');
    const t = tokens('+8d');
    const registered = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.registered}`);
      expect(r.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'ReminderSent', 'ReminderSent', 'PaperFallbackTriggered', 'MessageHandedToPrint']);
      return r.body;
    });
    expect(registered).toMatchObject({ state: 'paper', paperReason: 'unacknowledged-7-days', printJobId: ids.registered });
    expect(Date.parse(registered.paperFallbackAt)).toBeGreaterThanOrEqual(Date.parse(registered.acknowledgeBy));

    const job = JSON.parse(await readFile(join(server.env.DATA_DIR, 'print', `${ids.registered}.json`), 'utf8'));
    expect(job).toMatchObject({ id: ids.registered, messageId: ids.registered, agencyId: 'kela', delivery: 'registered', reason: 'unacknowledged-7-days', contentSha256: registered.contentSha256 });

    const ack = await call(api, t.citizen, 'POST', `/v1/citizen/messages/${ids.registered}/acknowledgement`);
    expect(ack.status).toBe(409);

    const ordinary = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.ordinary}`);
      expect(r.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'ReminderSent', 'MessageDeemedServed', 'ReminderSent']);
      return r.body;
    });
    expect(ordinary.state).toBe('deemed-served');
    expect(await outboxTemplates(server.env.DATA_DIR)).toEqual(['arrival:email', 'arrival:email', 'reminder:email', 'reminder:email']);

    const feed = await call(api, t.agency, 'GET', '/v1/agency/events?limit=1000');
    expect(feed.body.items.filter((i: { messageId: string }) => i.messageId === ids.registered).map((i: { type: string }) => i.type)).toEqual([
      'sent', 'reminded', 'reminded', 'paper-fallback', 'handed-to-print',
    ]);
  });
});
