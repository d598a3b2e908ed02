import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deemedServedOn, startOfHelsinkiDay } from '@asiointitili/domain';
import { cliToken, hasFaketime } from '../support/api-process';
import { call, clockShiftedServer, eventually } from '../support/clock-shifted-api';
import { BUSINESS_ID, HETU, decision } from '../support/fixtures';
import { syntheticHetu } from '../support/synthetic-hetu';

const SUITE = 'the route checked again at publication: scheduled messages go to paper when the recipient left electronic delivery before publishAt (faketime)';

/**
 * The compiled product in its own process, its clock shifted by libfaketime. Messages are
 * scheduled two days ahead; before publishAt one recipient revokes the consent and another closes
 * the account. The server is down across publishAt and every electronic deadline (deemed service,
 * reminders, the 7 acknowledgement days): started 11 days later, those messages went to paper at
 * publishAt and were printed, never reached the account, were never notified, reminded or deemed
 * served; a message to a recipient who changed nothing was published and served electronically.
 */
const describeWithFaketime = hasFaketime() ? describe : describe.skip;
if (!hasFaketime()) {
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${SUITE}" needs the faketime command (apt-get install faketime); it is not installed, so this suite did not run.`);
}

jest.setTimeout(180_000);

interface OutboxLine {
  readonly to: string;
  readonly template: string;
}

async function outbox(dataDir: string): Promise<OutboxLine[]> {
  const text = await readFile(join(dataDir, 'outbox', 'notifications.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxLine);
}

const proofPayload = (proof: string): any => JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8'));

const REVOKER = HETU.maija;
const CLOSER = HETU.matti;
const UNCHANGED = syntheticHetu(411);
const EMAIL = { [REVOKER]: 'maija@example.fi', [CLOSER]: 'matti@example.fi', [UNCHANGED]: 'pysyva@example.fi' } as const;

describeWithFaketime(SUITE, () => {
  const ids = { revokedOrdinary: '', revokedRegistered: '', closedOrdinary: '', unchanged: '' };
  let publishAt = '';

  const server = clockShiftedServer('asiointitili-publication-route-');

  const tokens = (offset?: string) => ({
    admin: cliToken(server.env, offset, ['--role', 'admin']),
    agency: cliToken(server.env, offset, ['--role', 'agency', '--agency', 'kela']),
    citizen: (hetu: string) => cliToken(server.env, offset, ['--role', 'citizen', '--hetu', hetu]),
  });

  it('today: messages scheduled 2 days ahead are recorded electronic; then one recipient revokes the consent and another closes the account; nothing is published yet', async () => {
    const api = await server.start();
    const t = tokens();
    expect((await call(api, t.admin, 'POST', '/v1/admin/agencies', { id: 'kela', name: 'Kela', businessId: BUSINESS_ID })).status).toBe(201);
    for (const hetu of [REVOKER, CLOSER, UNCHANGED]) {
      const citizen = t.citizen(hetu);
      expect((await call(api, citizen, 'POST', '/v1/citizen/account', { language: 'fi', email: EMAIL[hetu] })).status).toBe(201);
      expect((await call(api, citizen, 'PUT', '/v1/citizen/consents/kela')).status).toBe(200);
    }

    publishAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const send = async (hetu: string, overrides: Record<string, unknown>) => {
      const sent = await call(api, t.agency, 'POST', '/v1/agency/messages', decision(hetu, { publishAt, ...overrides }));
      expect(sent).toMatchObject({ status: 201, body: { route: 'electronic', publishAt } });
      return sent.body.id as string;
    };
    ids.revokedOrdinary = await send(REVOKER, { delivery: 'ordinary', appealPeriodDays: 30 });
    ids.revokedRegistered = await send(REVOKER, { delivery: 'registered' });
    ids.closedOrdinary = await send(CLOSER, { delivery: 'ordinary' });
    ids.unchanged = await send(UNCHANGED, { delivery: 'ordinary' });

    expect((await call(api, t.citizen(REVOKER), 'DELETE', '/v1/citizen/consents/kela')).status).toBe(200);
    expect((await call(api, t.citizen(CLOSER), 'DELETE', '/v1/citizen/account')).status).toBe(200);

    await eventually(async () => {
      for (const id of Object.values(ids)) expect((await call(api, t.agency, 'GET', `/v1/agency/messages/${id}`)).body).toMatchObject({ state: 'scheduled', publishAt });
    });
    for (const id of Object.values(ids)) {
      const trail = (await call(api, t.agency, 'GET', `/v1/agency/messages/${id}`)).body.trail.map((s: { type: string }) => s.type);
      expect(trail).toEqual(['MessageSent']);
    }
    expect(await outbox(server.env.DATA_DIR)).toEqual([]);
  });

  it('11 days later (down across publishAt and every electronic deadline): to paper at publishAt and printed, never in the account, never notified, reminded or deemed served', async () => {
    const api = await server.start('+11d');
    const t = tokens('+11d');
    const paperAtPublication = async (id: string, reason: string) => {
      const view = await eventually(async () => {
        const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${id}`);
        expect(r.body.trail.map((s: { type: string }) => s.type)).toEqual(['MessageSent', 'PaperFallbackTriggered', 'MessagePublished', 'MessageHandedToPrint']);
        return r.body;
      });
      expect(view).toMatchObject({ state: 'paper', paperReason: reason, paperFallbackAt: publishAt, publishedAt: publishAt, printJobId: id });
      expect(view.trail[1]).toMatchObject({ detail: { reason, fellBackAt: publishAt } });
      // Published on paper: nothing was consigned to the account.
      expect(view.trail[2].evidence).toEqual([]);
      expect(view.deemedServedOn).toBeUndefined();
      expect(view.deemedServedAt).toBeUndefined();
      expect(view.acknowledgedAt).toBeUndefined();
      const proof = proofPayload((await call(api, t.agency, 'GET', `/v1/agency/messages/${id}/proof`)).body.proof);
      expect(proof).toMatchObject({ availableAt: null, servedAt: null, service: { status: 'paper', via: 'fallback', reason, at: publishAt } });
      const letter = JSON.parse(await readFile(join(server.env.DATA_DIR, 'print', `${id}.json`), 'utf8'));
      expect(JSON.stringify(letter)).toContain(reason);
      return view;
    };
    await paperAtPublication(ids.revokedOrdinary, 'no-consent');
    await paperAtPublication(ids.revokedRegistered, 'no-consent');
    await paperAtPublication(ids.closedOrdinary, 'account-closed');

    // The control: a recipient who changed nothing got it electronically, notified, and it was deemed served.
    const unchanged = await eventually(async () => {
      const r = await call(api, t.agency, 'GET', `/v1/agency/messages/${ids.unchanged}`);
      expect(r.body.state).toBe('deemed-served');
      return r.body;
    });
    expect(unchanged.trail.map((s: { type: string }) => s.type)).toEqual(expect.arrayContaining(['MessagePublished', 'ReminderSent', 'MessageDeemedServed']));
    // Deemed served when the 3rd Helsinki day after publication began (not after the sending).
    expect(unchanged.deemedServedAt).toBe(startOfHelsinkiDay(unchanged.deemedServedOn));
    expect(unchanged.deemedServedOn).toBe(deemedServedOn(publishAt));

    // The person who revoked sees neither message: not in the inbox, not found when opened or acknowledged.
    const revoker = t.citizen(REVOKER);
    const inbox = await call(api, revoker, 'GET', '/v1/citizen/messages');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([]);
    expect((await call(api, revoker, 'GET', `/v1/citizen/messages/${ids.revokedOrdinary}`)).status).toBe(404);
    expect((await call(api, revoker, 'POST', `/v1/citizen/messages/${ids.revokedRegistered}/acknowledgement`)).status).toBe(404);

    // Notices only for the control (its arrival, then its 7-day reminder); none for the others.
    const sentTo = (await outbox(server.env.DATA_DIR)).map((line) => line.to);
    expect(sentTo.filter((to) => to !== EMAIL[UNCHANGED])).toEqual([]);
    expect(sentTo).toContain(EMAIL[UNCHANGED]);

    const feed = await call(api, t.agency, 'GET', '/v1/agency/events?limit=1000');
    const typesOf = (id: string) => feed.body.items.filter((i: { messageId: string }) => i.messageId === id).map((i: { type: string }) => i.type);
    for (const id of [ids.revokedOrdinary, ids.revokedRegistered, ids.closedOrdinary]) expect(typesOf(id)).toEqual(['sent', 'paper-fallback', 'published', 'handed-to-print']);
  });
});
