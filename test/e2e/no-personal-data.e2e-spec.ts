import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { auditReport, call, expectStatus, projectionsCaughtUp, registerAgencyOver } from '../support/api-client';
import { ensureBuilt, freePort, mintToken, startServer, type ServerProcess } from '../support/server-process';
import { eventually } from '../support/test-app';

/**
 * Issue 6, item 5 (the log part): an operator reading the process log learns no one's personal
 * identity code, email address, phone number or message content; stream names carry pseudonyms
 * (citizenRefs), never a henkilötunnus. The whole registered flow runs against the compiled
 * server in a child process, and its stdout and stderr are searched for every form of each value.
 */

const HETU = '170895-455L';
const EMAIL = 'pii.canary.virtanen@example.fi';
const PHONE = '+358457654321';
const SUBJECT = 'Kanarialintu-päätös 7f3a';
const BODY = 'Salainen kanarialintu 9c41: toimeentulotukea myönnetty 1234,56 euroa.';
const REPLY_PROBE = 'kanarialintu-vastaus-5e2d';

/** Every spelling in which a value could show up in a log line. */
const FORBIDDEN: readonly (readonly [string, string])[] = [
  ['henkilötunnus', HETU],
  ['henkilötunnus without its separator', HETU.replace('-', '')],
  ['henkilötunnus in lower case', HETU.toLowerCase()],
  ['henkilötunnus, URL-encoded', encodeURIComponent(HETU)],
  ['birth date and individual number', HETU.slice(0, 10)],
  ['email address', EMAIL],
  ['email local part', EMAIL.split('@')[0]!],
  ['phone number', PHONE],
  ['phone number without +', PHONE.slice(1)],
  ['phone number, national form', `0${PHONE.slice(4)}`],
  ['subject', SUBJECT],
  ['message body', BODY],
  ['distinctive word of the body', 'Salainen kanarialintu 9c41'],
  ['reply probe', REPLY_PROBE],
];

describe('no personal data in the process log or in stream names', () => {
  let dataDir: string;
  let server: ServerProcess;
  let output = '';
  let messageId: string;
  let auditor: string;
  const problemBodies: unknown[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-pii-'));
    server = await startServer({ dataDir });
    const base = server.baseUrl;
    const [admin, agency, citizen, stranger] = await Promise.all([
      mintToken(dataDir, { role: 'admin' }),
      mintToken(dataDir, { role: 'agency', agency: 'kela' }),
      mintToken(dataDir, { role: 'citizen', hetu: HETU, acr: 'high', amr: 'bank' }),
      mintToken(dataDir, { role: 'citizen', hetu: '010101-123N' }),
    ]);
    auditor = await mintToken(dataDir, { role: 'auditor' });
    const keep = async (answer: Promise<{ status: number; body: unknown }>) => {
      const got = await answer;
      if (got.status >= 400) problemBodies.push(got.body);
      return got;
    };

    // The registered flow, with contact details so that an arrival notice is sent.
    await registerAgencyOver(base, admin, 'kela');
    await expectStatus(call(base, 'POST', '/v1/citizen/account', citizen, { language: 'fi', email: EMAIL, phone: PHONE }), 201, 'open account');
    await expectStatus(call(base, 'PUT', '/v1/citizen/consents/kela', citizen), 200, 'consent');
    await expectStatus(call(base, 'GET', `/v1/agency/recipients/${HETU}`, agency), 200, 'recipient check');
    await expectStatus(call(base, 'POST', '/v1/agency/recipients', agency, { hetus: [HETU, '131052-308A'] }), 200, 'bulk check');
    const sent = await expectStatus(
      call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'decision', delivery: 'registered', subject: SUBJECT, body: BODY, replyAllowed: true }),
      201,
      'send',
    );
    messageId = sent.body!.id as string;
    await projectionsCaughtUp(base);
    await expectStatus(call(base, 'GET', '/v1/citizen/messages', citizen), 200, 'inbox');
    await expectStatus(call(base, 'GET', `/v1/citizen/messages/${messageId}`, citizen), 200, 'open');
    await expectStatus(call(base, 'POST', `/v1/citizen/messages/${messageId}/acknowledgement`, citizen), 201, 'acknowledge');
    await expectStatus(call(base, 'GET', `/v1/agency/messages/${messageId}`, agency), 200, 'agency view');
    await call(base, 'GET', `/v1/agency/messages/${messageId}/proof`, agency);

    // Refusals whose details could echo what was sent.
    await keep(call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: `${HETU.slice(0, 10)}A` }, kind: 'decision', delivery: 'registered', subject: SUBJECT, body: BODY }));
    await keep(call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'letter', delivery: 'registered', subject: SUBJECT, body: BODY, priority: `${REPLY_PROBE} ${EMAIL}` }));
    await keep(call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'decision', delivery: 'registered', subject: SUBJECT, body: BODY.repeat(1000) }));
    await keep(call(base, 'GET', `/v1/agency/recipients/${HETU.slice(0, 10)}A`, agency));
    await keep(call(base, 'POST', '/v1/citizen/account', citizen, { language: 'fi', email: `${EMAIL}@`, phone: `${PHONE}x` }));
    await keep(call(base, 'GET', `/v1/citizen/messages/${messageId}`, stranger));
    await keep(call(base, 'GET', `/v1/agency/recipients/${HETU}`));
    await keep(call(base, 'GET', `/v1/agency/recipients/${HETU}`, 'not-a-token'));
    await keep(call(base, 'POST', '/v1/agency/messages', `${HETU}.${EMAIL}.${PHONE}`, {}));

    expect(await auditReport(base, auditor)).toMatchObject({ ok: true });
    // Give the arrival notice and the deadline manager a moment to log whatever they log.
    await eventually(async () => expect(server.output()).toContain('listening on port'));
    await new Promise((r) => setTimeout(r, 500));
  }, 180_000);

  afterAll(async () => {
    await server?.stop(5000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('wrote a log at all (the search below is not vacuous)', () => {
    output = server.output();
    expect(output).toContain('listening on port');
    expect(output.length).toBeGreaterThan(200);
  });

  it.each(FORBIDDEN)('never writes the %s to stdout or stderr', (_what, value) => {
    expect(server.output()).not.toContain(value);
  });

  it('still has written none of them after a SIGTERM (shutdown logging included)', async () => {
    const status = await server.stop();
    expect(status.code).toBe(0);
    const all = server.output();
    expect(FORBIDDEN.filter(([, value]) => all.includes(value)).map(([what]) => what)).toEqual([]);
  });

  it('never echoes a submitted value in a problem detail', () => {
    expect(problemBodies.length).toBeGreaterThanOrEqual(8);
    const text = JSON.stringify(problemBodies);
    expect(FORBIDDEN.filter(([, value]) => text.includes(value)).map(([what]) => what)).toEqual([]);
  });

  it('names no stream, and no event or its metadata, by the henkilötunnus', () => {
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT stream, data, metadata FROM events').all() as { stream: string; data: string; metadata: string }[];
      expect(rows.length).toBeGreaterThan(5);
      const forms = [HETU, HETU.replace('-', ''), HETU.toLowerCase()];
      expect(rows.filter((row) => forms.some((form) => `${row.stream} ${row.data} ${row.metadata}`.includes(form)))).toEqual([]);
      expect(rows.some((row) => row.stream.startsWith('account-c_'))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('holds the email address and phone number in no event: the account stream carries them sealed', () => {
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT type, data, metadata FROM events').all() as { type: string; data: string; metadata: string }[];
      const contactForms = [EMAIL, EMAIL.split('@')[0]!, PHONE, PHONE.slice(1)];
      expect(rows.filter((row) => contactForms.some((form) => `${row.data} ${row.metadata}`.includes(form))).map((row) => row.type)).toEqual([]);
      const opened = rows.find((row) => row.type === 'AccountOpened');
      expect(JSON.parse(opened!.data).contact).toEqual({ v: 1, kid: expect.any(String), iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    } finally {
      db.close();
    }
  });
});

describe('stream names as auditors see them', () => {
  let dataDir: string;
  let server: ServerProcess;

  afterAll(async () => {
    await server?.stop(5000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the recipient’s account stream by a pseudonym, found through the message trail, never by the henkilötunnus', async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-pii-streams-'));
    server = await startServer({ dataDir });
    const base = server.baseUrl;
    const [admin, agency, citizen, auditor] = await Promise.all([
      mintToken(dataDir, { role: 'admin' }),
      mintToken(dataDir, { role: 'agency', agency: 'kela' }),
      mintToken(dataDir, { role: 'citizen', hetu: HETU }),
      mintToken(dataDir, { role: 'auditor' }),
    ]);
    await registerAgencyOver(base, admin, 'kela');
    await expectStatus(call(base, 'POST', '/v1/citizen/account', citizen, { language: 'fi' }), 201, 'open account');
    await expectStatus(call(base, 'PUT', '/v1/citizen/consents/kela', citizen), 200, 'consent');
    const sent = await expectStatus(
      call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'decision', delivery: 'ordinary', subject: SUBJECT, body: BODY }),
      201,
      'send',
    );
    const messageStream = `message-${sent.body!.id as string}`;
    const messageEvents = await expectStatus(call(base, 'GET', `/v1/audit/streams/${messageStream}`, auditor), 200, 'message stream');
    const citizenRef = (messageEvents.body!.items as { data: { citizenRef?: string } }[])[0]!.data.citizenRef!;
    expect(citizenRef).toMatch(/^c_[A-Za-z0-9_-]{32}$/);

    const account = await expectStatus(call(base, 'GET', `/v1/audit/streams/account-${citizenRef}`, auditor), 200, 'account stream');
    expect(JSON.stringify(account.body)).not.toContain(HETU);
    // The henkilötunnus is no way in: there is no stream by that name, and the name is refused as one.
    expect((await call(base, 'GET', `/v1/audit/streams/account-${HETU}`, auditor)).status).toBe(404);
  }, 120_000);
});

describe('no personal data in the log when a mail server refuses a notice', () => {
  let dataDir: string;
  let server: ServerProcess;
  let smtp: SMTPServer;

  afterEach(async () => {
    await server?.stop(5000);
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    // 5xx: refused for good; the dispatcher logs the code only and moves on.
    [552, /arrival notice for m-[\w-]+: email notification refused permanently: SMTP 552/],
    // 4xx: may pass later; the reactor logs the failure (the server's text, masked) and retries.
    [452, /Recipient address rejected/],
  ])('logs a notice refused with SMTP %i without the address the mail server echoed back', async (code, logged) => {
    await ensureBuilt();
    // Like a real MTA, the refusal quotes the recipient, and nodemailer puts it in its error message.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: mailbox full`), { responseCode: code }));
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));

    dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-pii-smtp-'));
    server = await startServer({ dataDir, env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DEADLINE_INTERVAL_MS: '100' } });
    const base = server.baseUrl;
    const [admin, agency, citizen] = await Promise.all([
      mintToken(dataDir, { role: 'admin' }),
      mintToken(dataDir, { role: 'agency', agency: 'kela' }),
      mintToken(dataDir, { role: 'citizen', hetu: HETU }),
    ]);
    await registerAgencyOver(base, admin, 'kela');
    await expectStatus(call(base, 'POST', '/v1/citizen/account', citizen, { language: 'fi', email: EMAIL }), 201, 'open account');
    await expectStatus(call(base, 'PUT', '/v1/citizen/consents/kela', citizen), 200, 'consent');
    await expectStatus(
      call(base, 'POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'decision', delivery: 'ordinary', subject: SUBJECT, body: BODY }),
      201,
      'send',
    );
    // The error path under test did run.
    await eventually(async () => expect(server.output()).toMatch(logged), 15_000);
    const log = server.output();
    expect(FORBIDDEN.filter(([, value]) => log.includes(value)).map(([what]) => what)).toEqual([]);
  }, 120_000);
});
