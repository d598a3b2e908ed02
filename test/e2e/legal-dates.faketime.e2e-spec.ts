import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addCalendarDays, appealEndsOn, helsinkiDate, isWorkingDay, replyOverdueAt } from '@asiointitili/domain';
import { cliToken, hasFaketime } from '../support/api-process';
import { call, clockShiftedServer, eventually } from '../support/clock-shifted-api';
import { BUSINESS_ID, HETU, decision } from '../support/fixtures';

const SUITE = 'scheduled publishing, reply-by and appeal dates across restarts under faketime';

/**
 * The compiled product in its own process, its clock shifted by libfaketime (no test-only hook):
 * a message scheduled two days ahead stays invisible, then is published once at its publishAt
 * while the server was down; a cancelled one never appears; an information request's reply-by
 * date is reminded of and reported overdue once; an ordinary decision's appeal end shows to both
 * sides and in the proof once it is deemed served.
 */
const describeWithFaketime = hasFaketime() ? describe : describe.skip;
if (!hasFaketime()) {
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${SUITE}" needs the faketime command (apt-get install faketime); it is not installed, so this suite did not run.`);
}

jest.setTimeout(180_000);

async function outbox(dataDir: string): Promise<string[]> {
  const text = await readFile(join(dataDir, 'outbox', 'notifications.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line).template as string);
}

const proofPayload = (proof: string): any => JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8'));

describeWithFaketime(SUITE, () => {
  const ids = { scheduled: '', cancelled: '', appeal: '', request: '' };
  let replyBy = '';
  let publishAt = '';

  const server = clockShiftedServer('asiointitili-legal-dates-');

  const tokens = (offset?: string) => ({
    admin: cliToken(server.env, offset, ['--role', 'admin']),
    agency: cliToken(server.env, offset, ['--role', 'agency', '--agency', 'kela']),
    citizen: cliToken(server.env, offset, ['--role', 'citizen', '--hetu', HETU.maija]),
  });

  it('today: a message scheduled 2 days ahead and one cancelled before its time reach nobody; an unscheduled one cannot be cancelled', async () => {
    const api = await server.start();
    const t = tokens();
    expect((await call(api, t.admin, 'POST', '/v1/admin/agencies', { id: 'kela', name: 'Kela', businessId: BUSINESS_ID })).status).toBe(201);
    expect((await call(api, t.citizen, 'POST', '/v1/citizen/account', { language: 'fi', email: 'maija@example.fi' })).status).toBe(201);
    expect((await call(api, t.citizen, 'PUT', '/v1/citizen/consents/kela')).status).toBe(200);

    publishAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const scheduled = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { delivery: 'registered', publishAt, appealPeriodDays: 14 }));
    const cancelled = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { delivery: 'ordinary', publishAt }));
    const appeal = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { delivery: 'ordinary', appealPeriodDays: 30 }));
    // Reply by the 3rd Helsinki day from today: reminded when the 1st begins, overdue when the 4th begins.
    replyBy = addCalendarDays(helsinkiDate(new Date().toISOString()), 3);
    const request = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { kind: 'information-request', replyAllowed: true, replyBy }));
    expect([scheduled.status, cancelled.status, appeal.status, request.status]).toEqual([201, 201, 201, 201]);
    ids.request = request.body.id;
    const noReplies = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { replyAllowed: false, replyBy }));
    expect([noReplies.status, noReplies.body.type]).toEqual([422, expect.stringContaining('reply-by-needs-replies')]);
    expect(scheduled.body).toMatchObject({ route: 'electronic', publishAt });
    ids.scheduled = scheduled.body.id;
    ids.cancelled = cancelled.body.id;
    ids.appeal = appeal.body.id;

    const tooFar = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(HETU.maija, { publishAt: new Date(Date.now() + 367 * 86_400_000).toISOString() }));
    expect([tooFar.status, tooFar.body.type]).toEqual([422, expect.stringContaining('publish-at-too-far')]);

    expect((await call(api, t.agency, 'DELETE', `/v1/agency/messages/${ids.cancelled}`)).status).toBe(200);
    expect((await call(api, t.agency, 'DELETE', `/v1/agency/messages/${ids.cancelled}`)).status).toBe(200);
    const notScheduled = await call(api, t.agency, 'DELETE', `/v1/agency/messages/${ids.appeal}`);
    expect(notScheduled.status).toBe(409);

    await eventually(async () => {
      const inbox = await call(api, t.citizen, 'GET', '/v1/citizen/messages');
      expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([ids.request, ids.appeal]);
      expect(inbox.body.items[0]).toMatchObject({ replyBy });
      expect((await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.cancelled}`)).body.state).toBe('cancelled');
    });
    expect((await call(api, t.citizen, 'GET', `/v1/citizen/messages/${ids.scheduled}`)).status).toBe(404);
    expect((await call(api, t.citizen, 'POST', `/v1/citizen/messages/${ids.scheduled}/acknowledgement`)).status).toBe(404);
    expect(await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}`)).toMatchObject({ body: { state: 'scheduled', publishAt } });
    expect(await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.request}`)).toMatchObject({ body: { replyBy } });
    expect(await call(api, t.citizen, 'GET', `/v1/citizen/messages/${ids.request}`)).toMatchObject({ body: { replyBy } });
    await eventually(async () => expect(await outbox(server.env.DATA_DIR)).toEqual(['arrival', 'arrival']));
  });

  it('4 days later (down across publishAt): published once at publishAt and notified; the cancelled one never; the appeal end shows to both sides once deemed served', async () => {
    const api = await server.start('+4d');
    const t = tokens('+4d');
    const scheduled = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}`);
      expect(r.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'MessagePublished', 'ReminderSent']);
      return r.body;
    });
    expect(scheduled).toMatchObject({ state: 'sent', publishedAt: publishAt });
    expect((await call(api, t.agency, 'DELETE', `/v1/agency/messages/${ids.scheduled}`)).status).toBe(409);

    const opened = await call(api, t.citizen, 'GET', `/v1/citizen/messages/${ids.scheduled}`);
    expect(opened).toMatchObject({ status: 200, body: { acknowledgementRequired: true, acknowledgeBy: scheduled.acknowledgeBy, body: null } });
    const ack = await call(api, t.citizen, 'POST', `/v1/citizen/messages/${ids.scheduled}/acknowledgement`);
    expect(ack.status).toBe(201);

    const appeal = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.appeal}`);
      expect(r.body.state).toBe('deemed-served');
      return r.body;
    });
    expect(appeal.appealEndsOn).toBe(appealEndsOn(appeal.deemedServedOn, 30));
    expect(isWorkingDay(appeal.appealEndsOn)).toBe(true);
    const citizenView = await call(api, t.citizen, 'GET', `/v1/citizen/messages/${ids.appeal}`);
    expect(citizenView.body).toMatchObject({ appealPeriodDays: 30, appealEndsOn: appeal.appealEndsOn });
    const proof = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.appeal}/proof`);
    expect(proofPayload(proof.body.proof).appeal).toEqual({ periodDays: 30, endsOn: appeal.appealEndsOn });

    const acknowledged = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}`);
      expect(r.body.state).toBe('acknowledged');
      return r.body;
    });
    expect(acknowledged.appealEndsOn).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    const scheduledProof = proofPayload((await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}/proof`)).body.proof);
    expect(scheduledProof).toMatchObject({ availableAt: publishAt, appeal: { periodDays: 14, endsOn: acknowledged.appealEndsOn } });

    const feed = await call(api, t.agency, 'GET', '/v1/agency/events?limit=1000');
    const typesOf = (id: string) => feed.body.items.filter((i: { messageId: string }) => i.messageId === id).map((i: { type: string }) => i.type);
    expect(typesOf(ids.scheduled).slice(0, 3)).toEqual(['sent', 'published', 'reminded']);
    expect(typesOf(ids.cancelled)).toEqual(['sent', 'cancelled']);

    const request = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.request}`);
      expect(r.body.replyOverdueAt).toBe(replyOverdueAt(replyBy));
      return r.body;
    });
    const steps = request.trail.map((s: { type: string; detail: { reason?: string } }) => (s.type === 'ReminderSent' ? `${s.type}:${s.detail.reason}` : s.type));
    expect(steps).toEqual(expect.arrayContaining(['ReminderSent:reply-by', 'ReplyOverdue']));
    const requestFeed = (await call(api, t.agency, 'GET', '/v1/agency/events?limit=1000')).body.items.filter((i: { messageId: string }) => i.messageId === ids.request);
    expect(requestFeed.filter((i: { type: string }) => i.type === 'reply-overdue')).toHaveLength(1);
  });

  it('a restart later still: nothing is published or notified a second time', async () => {
    const api = await server.start('+5d');
    const t = tokens('+5d');
    await eventually(async () => expect((await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}`)).status).toBe(200));
    // Give the process managers many ticks (50 ms each) to do anything they (wrongly) would.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.scheduled}`);
    expect(r.body.trail.filter((s: { type: string }) => s.type === 'MessagePublished')).toHaveLength(1);
    expect((await outbox(server.env.DATA_DIR)).filter((template) => template === 'arrival')).toHaveLength(3);
    const request = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.request}`);
    expect(request.body.trail.filter((s: { type: string }) => s.type === 'ReplyOverdue')).toHaveLength(1);
    expect(request.body.trail.filter((s: { type: string; detail: { reason?: string } }) => s.detail.reason === 'reply-by')).toHaveLength(1);
    const cancelled = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.cancelled}`);
    expect(cancelled.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'MessageCancelled']);
  });
});
