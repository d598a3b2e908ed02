import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Response } from 'supertest';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { appTargets } from '../support/app-targets';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const MIB = 1024 * 1024;

/** A small but well-formed PDF. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
/** A Windows executable's first bytes: "MZ", then the zero-filled DOS header. */
const EXECUTABLE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(126), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]);

/** Collects a binary body into a Buffer (supertest parses only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/** Stored file content, whichever blob store the app runs on: files under DATA_DIR/blobs, or GridFS documents. */
async function storedBlobParts(t: TestApp, env: Record<string, string>): Promise<number> {
  if (!env.MONGODB_URL) return (await filesUnder(join(t.dataDir, 'blobs'))).length;
  const client = await MongoClient.connect(env.MONGODB_URL);
  try {
    const db = client.db();
    return (await db.collection('blobs.files').countDocuments()) + (await db.collection('blobs.chunks').countDocuments());
  } finally {
    await client.close();
  }
}

describe.each(appTargets('two-way channel'))('the two-way channel ($name)', (target) => {
  let t: TestApp;
  let kela: string;
  let vero: string;
  let maija: string;
  let matti: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = target.env();
    t = await startTestApp({ env });
    await registerAgency(t, 'kela');
    await registerAgency(t, 'vero');
    kela = await t.token({ role: 'agency', agency: 'kela' });
    vero = await t.token({ role: 'agency', agency: 'vero' });
    maija = await openAccountWithConsent(t, HETU.maija, 'kela');
    matti = await openAccountWithConsent(t, HETU.matti, 'kela');
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  const upload = (token: string, name: string, type: string, content: Buffer) =>
    t.http.post(`/v1/attachments?name=${encodeURIComponent(name)}`).set(bearer(token)).set('Content-Type', type).send(content);

  async function uploaded(token: string, name: string, type: string, content: Buffer): Promise<string> {
    const response = await upload(token, name, type, content);
    if (response.status !== 201) throw new Error(`upload ${name}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  }

  const download = (token: string, url: string) => t.http.get(url).set(bearer(token)).buffer(true).parse(binary);

  const submit = (token: string, body: Record<string, unknown>) =>
    t.http.post('/v1/citizen/applications').set(bearer(token)).send({ agencyId: 'kela', subject: 'Toimeentulotukihakemus (TO1)', body: 'Hakemus liitteineen.', ...body });

  async function submitted(token: string, attachments: string[] = []): Promise<string> {
    const response = await submit(token, { attachments });
    if (response.status !== 201) throw new Error(`application: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  }

  async function sent(body: Record<string, unknown>, token = kela): Promise<string> {
    const response = await t.http.post('/v1/agency/messages').set(bearer(token)).send(body);
    if (response.status !== 201) throw new Error(`send: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  }

  const storedUploads = (): Promise<number> => t.runtime.readStore.count('attachments');

  describe('applications and the thread', () => {
    let applicationId: string;
    let pdfId: string;

    it('delivers an application with a PDF to the agency byte-identical, with the hash checked', async () => {
      const up = await upload(maija, 'hakemus.pdf', 'application/pdf', PDF);
      expect(up.status).toBe(201);
      expect(up.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), name: 'hakemus.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha256(PDF) });
      pdfId = up.body.id;

      applicationId = await submitted(maija, [pdfId]);

      const list = await eventually(async () => {
        const r = await t.http.get('/v1/agency/applications').set(bearer(kela));
        expect(r.body.items.map((i: { id: string }) => i.id)).toContain(applicationId);
        return r.body;
      });
      expect(list.items.find((i: { id: string }) => i.id === applicationId)).toMatchObject({ subject: 'Toimeentulotukihakemus (TO1)', status: 'submitted', attachmentCount: 1 });

      const detail = await t.http.get(`/v1/agency/applications/${applicationId}`).set(bearer(kela));
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: applicationId, body: 'Hakemus liitteineen.', threadId: applicationId });
      expect(detail.body.attachments).toEqual([{ id: pdfId, name: 'hakemus.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha256(PDF), url: `/v1/attachments/${pdfId}` }]);

      const file = await download(kela, detail.body.attachments[0].url);
      expect(file.status).toBe(200);
      expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
      expect(sha256(file.body as Buffer)).toBe(detail.body.attachments[0].sha256);
      expect(file.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(PDF.length),
        'content-disposition': `attachment; filename="hakemus.pdf"; filename*=UTF-8''hakemus.pdf`,
        'x-content-type-options': 'nosniff',
      });

      const feed = await eventually(async () => {
        const r = await t.http.get('/v1/agency/events').set(bearer(kela));
        expect(r.body.items.map((i: { applicationId?: string }) => i.applicationId)).toContain(applicationId);
        return r.body;
      });
      expect(feed.items.find((i: { applicationId?: string }) => i.applicationId === applicationId).type).toBe('application');

      const own = await t.http.get(`/v1/citizen/applications/${applicationId}`).set(bearer(maija));
      expect(own.body).toMatchObject({ id: applicationId, agencyId: 'kela', status: 'submitted', attachments: [expect.objectContaining({ id: pdfId })] });
      const ownList = await t.http.get('/v1/citizen/applications').set(bearer(maija));
      expect(ownList.body.items.map((i: { id: string }) => i.id)).toContain(applicationId);
    });

    it('carries an information request, the reply with its attachment and the decision on the application thread', async () => {
      const requestId = await sent(
        decision(HETU.maija, { kind: 'information-request', delivery: 'ordinary', subject: 'Lisäselvityspyyntö', replyAllowed: true, inReplyTo: applicationId }),
      );
      await eventually(async () => {
        const r = await t.http.get(`/v1/citizen/applications/${applicationId}`).set(bearer(maija));
        expect(r.body.status).toBe('information-requested');
      });

      const statement = Buffer.from('Tiliote marraskuulta: saldo 12,40 €\n', 'utf8');
      const statementId = await uploaded(maija, 'tiliote.txt', 'text/plain; charset=utf-8', statement);
      const reply = await t.http.post(`/v1/citizen/messages/${requestId}/replies`).set(bearer(maija)).send({ body: 'Liitteenä tiliote.', attachments: [statementId] });
      expect(reply.status).toBe(201);
      const replyId: string = reply.body.id;

      const item = await eventually(async () => {
        const r = await t.http.get('/v1/agency/events?limit=1000').set(bearer(kela));
        const found = r.body.items.find((i: { type: string; replyId?: string }) => i.type === 'reply' && i.replyId === replyId);
        expect(found).toBeDefined();
        return found;
      });
      expect(item).toMatchObject({ messageId: requestId, replyId });

      const view = await eventually(async () => {
        const r = await t.http.get(`/v1/agency/messages/${requestId}`).set(bearer(kela));
        expect(r.body.replies).toHaveLength(1);
        return r.body;
      });
      expect(view.inReplyTo).toBe(applicationId);
      expect(view.replies[0]).toMatchObject({ id: replyId, body: 'Liitteenä tiliote.', sentAt: expect.any(String) });
      expect(view.replies[0].attachments).toEqual([
        { id: statementId, name: 'tiliote.txt', contentType: 'text/plain; charset=utf-8', size: statement.length, sha256: sha256(statement), url: `/v1/attachments/${statementId}` },
      ]);
      const file = await download(kela, view.replies[0].attachments[0].url);
      expect(file.status).toBe(200);
      expect(Buffer.compare(file.body as Buffer, statement)).toBe(0);

      await eventually(async () => {
        const r = await t.http.get(`/v1/agency/applications/${applicationId}`).set(bearer(kela));
        expect(r.body.status).toBe('information-provided');
      });

      const decisionId = await sent(decision(HETU.maija, { delivery: 'ordinary', inReplyTo: requestId }));
      await eventually(async () => {
        const r = await t.http.get(`/v1/citizen/applications/${applicationId}`).set(bearer(maija));
        expect(r.body.status).toBe('decided');
      });

      // Read models are separate collections, written side by side on MongoDB: the thread may
      // show the decision a moment after the application's status does.
      const agencyThread = await eventually(async () => {
        const r = await t.http.get(`/v1/agency/threads/${applicationId}`).set(bearer(kela));
        expect(r.body.items).toHaveLength(4);
        return r;
      });
      expect(agencyThread.status).toBe(200);
      expect(agencyThread.body.id).toBe(applicationId);
      expect(agencyThread.body.items.map((i: { type: string; id: string }) => [i.type, i.id])).toEqual([
        ['application', applicationId],
        ['message', requestId],
        ['reply', replyId],
        ['message', decisionId],
      ]);
      const times = agencyThread.body.items.map((i: { at: string }) => i.at);
      expect([...times].sort()).toEqual(times);

      // The citizen may name any item of the thread; an unopened message shows no content yet.
      const citizenThread = await t.http.get(`/v1/citizen/threads/${decisionId}`).set(bearer(maija));
      expect(citizenThread.status).toBe(200);
      expect(citizenThread.body.id).toBe(applicationId);
      expect(citizenThread.body.items.map((i: { id: string }) => i.id)).toEqual([applicationId, requestId, replyId, decisionId]);
      expect(citizenThread.body.items[3]).toMatchObject({ type: 'message', kind: 'decision', state: 'unread', body: null, attachments: null });
    });

    it('refuses a reply to a message that allows none with 409', async () => {
      const id = await sent(decision(HETU.maija, { delivery: 'ordinary', replyAllowed: false }));
      const reply = await t.http.post(`/v1/citizen/messages/${id}/replies`).set(bearer(maija)).send({ body: 'Kiitos.' });
      expect(reply.status).toBe(409);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.body.type).toBe('urn:asiointitili:problem:replies-not-allowed');
    });

    it('answers a reply to someone else’s message with 404', async () => {
      const id = await sent(decision(HETU.maija, { delivery: 'ordinary', replyAllowed: true }));
      const reply = await t.http.post(`/v1/citizen/messages/${id}/replies`).set(bearer(matti)).send({ body: 'Hei.' });
      expect(reply.status).toBe(404);
    });

    it('refuses inReplyTo that names nothing, or another citizen’s or agency’s application, with 422', async () => {
      const foreign = await submitted(matti);
      const toVero = await t.http.post('/v1/citizen/applications').set(bearer(maija)).send({ agencyId: 'vero', subject: 'Veroilmoitus', body: '' });
      expect(toVero.status).toBe(201);
      for (const inReplyTo of ['m-does-not-exist', foreign, toVero.body.id]) {
        const response = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija, { inReplyTo }));
        expect(response.status).toBe(422);
        expect(response.body).toMatchObject({ type: 'urn:asiointitili:problem:invalid-in-reply-to', errors: [{ field: 'inReplyTo', problem: expect.any(String) }] });
      }
    });

    it('lets the agency answer an application without the henkilötunnus: the thread names the recipient', async () => {
      const applicationId = await submitted(maija);
      const { recipient: _recipient, ...withoutRecipient } = decision(HETU.maija, { delivery: 'ordinary', inReplyTo: applicationId });
      const answer = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(withoutRecipient);
      expect(answer.status).toBe(201);
      expect(answer.body.route).toBe('electronic');
      const opened = await t.http.get(`/v1/citizen/messages/${answer.body.id}`).set(bearer(maija));
      expect(opened.status).toBe(200);
      expect(opened.body.inReplyTo).toBe(applicationId);
      expect((await t.http.get(`/v1/citizen/messages/${answer.body.id}`).set(bearer(matti))).status).toBe(404);
    });

    it('still needs a recipient outside a thread (400), and a thread of this agency without one (422)', async () => {
      const { recipient: _recipient, ...withoutRecipient } = decision(HETU.maija);
      const noThread = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(withoutRecipient);
      expect(noThread.status).toBe(400);
      expect(noThread.body.errors.map((e: { field: string }) => e.field)).toContain('recipient');
      const toVero = await t.http.post('/v1/citizen/applications').set(bearer(maija)).send({ agencyId: 'vero', subject: 'Veroilmoitus', body: '' });
      const foreignThread = await t.http.post('/v1/agency/messages').set(bearer(kela)).send({ ...withoutRecipient, inReplyTo: toVero.body.id });
      expect(foreignThread.status).toBe(422);
      expect(foreignThread.body.type).toBe('urn:asiointitili:problem:invalid-in-reply-to');
    });

    it('answers an application to an unregistered agency with 404', async () => {
      const response = await submit(maija, { agencyId: 'no-such-agency' });
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('urn:asiointitili:problem:agency-not-found');
    });

    it('shows neither the application nor its files to another agency or another citizen (404)', async () => {
      const veroList = await t.http.get('/v1/agency/applications').set(bearer(vero));
      expect(veroList.status).toBe(200);
      expect(veroList.body.items.map((i: { id: string }) => i.id)).not.toContain(applicationId);
      const mattiList = await t.http.get('/v1/citizen/applications').set(bearer(matti));
      expect(mattiList.body.items.map((i: { id: string }) => i.id)).not.toContain(applicationId);
      for (const [token, path] of [
        [vero, `/v1/agency/applications/${applicationId}`],
        [vero, `/v1/agency/threads/${applicationId}`],
        [matti, `/v1/citizen/applications/${applicationId}`],
        [matti, `/v1/citizen/threads/${applicationId}`],
        [vero, `/v1/attachments/${pdfId}`],
        [matti, `/v1/attachments/${pdfId}`],
      ] as const) {
        const response = await t.http.get(path).set(bearer(token));
        expect([path, response.status]).toEqual([path, 404]);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('attachments', () => {
    it('answers a disguised executable with 415 problem+json and stores nothing', async () => {
      const before = { records: await storedUploads(), blobs: await storedBlobParts(t, env) };
      const response = await upload(maija, 'paatos.pdf', 'application/pdf', EXECUTABLE);
      expect(response.status).toBe(415);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 415, type: 'urn:asiointitili:problem:attachment-content-mismatch', detail: expect.stringContaining('Windows executable') });
      expect(await storedUploads()).toBe(before.records);
      expect(await storedBlobParts(t, env)).toBe(before.blobs);
    });

    it('answers a type outside the allowlist, or no type, with 415', async () => {
      const exe = await upload(maija, 'setup.exe', 'application/x-msdownload', EXECUTABLE);
      expect(exe.status).toBe(415);
      expect(exe.body).toMatchObject({ type: 'urn:asiointitili:problem:unsupported-attachment-type', allowed: expect.arrayContaining(['application/pdf']) });
      const untyped = await t.http.post('/v1/attachments?name=x.pdf').set(bearer(maija)).send(PDF);
      expect(untyped.status).toBe(415);
    });

    it('lets only citizens and registered agencies upload (auditors, admins and unknown agencies get 403)', async () => {
      for (const role of ['auditor', 'admin'] as const) {
        const response = await upload(await t.token({ role }), 'a.pdf', 'application/pdf', PDF);
        expect(response.status).toBe(403);
      }
      const ghost = await upload(await t.token({ role: 'agency', agency: 'ghost' }), 'a.pdf', 'application/pdf', PDF);
      expect(ghost.status).toBe(403);
      expect(ghost.body.type).toBe('urn:asiointitili:problem:agency-not-registered');
    });

    it('keeps a registered message’s attachments locked until acknowledgement', async () => {
      const pdfId = await uploaded(kela, 'päätös.pdf', 'application/pdf', PDF);
      const id = await sent(decision(HETU.maija, { delivery: 'registered', attachments: [pdfId] }));
      const closed = await t.http.get(`/v1/citizen/messages/${id}`).set(bearer(maija));
      expect(closed.body.attachments).toBeNull();
      expect((await download(maija, `/v1/attachments/${pdfId}`)).status).toBe(404);
      expect((await download(kela, `/v1/attachments/${pdfId}`)).status).toBe(200);

      expect((await t.http.post(`/v1/citizen/messages/${id}/acknowledgement`).set(bearer(maija))).status).toBe(201);
      const opened = await t.http.get(`/v1/citizen/messages/${id}`).set(bearer(maija));
      expect(opened.body.attachments).toEqual([expect.objectContaining({ id: pdfId, url: `/v1/attachments/${pdfId}` })]);
      const file = await download(maija, opened.body.attachments[0].url);
      expect(file.status).toBe(200);
      expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
      expect(file.headers['content-disposition']).toBe(`attachment; filename="paatos.pdf"; filename*=UTF-8''p%C3%A4%C3%A4t%C3%B6s.pdf`);
      expect((await download(matti, `/v1/attachments/${pdfId}`)).status).toBe(404);
    });

    it('lets the uploader, and no one else, download an upload before it is used', async () => {
      const id = await uploaded(maija, 'luonnos.pdf', 'application/pdf', PDF);
      expect((await download(maija, `/v1/attachments/${id}`)).status).toBe(200);
      expect((await download(matti, `/v1/attachments/${id}`)).status).toBe(404);
      expect((await download(kela, `/v1/attachments/${id}`)).status).toBe(404);
    });

    it('refuses an attachment id used twice with 422', async () => {
      const id = await uploaded(maija, 'liite.pdf', 'application/pdf', PDF);
      await submitted(maija, [id]);
      const again = await submit(maija, { attachments: [id] });
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ type: 'urn:asiointitili:problem:attachment-not-usable', attachments: [id], errors: [{ field: 'attachments[0]', problem: expect.stringContaining('already used') }] });
    });

    it('refuses an id listed twice in one application with 422 and leaves the upload usable', async () => {
      const id = await uploaded(maija, 'liite.pdf', 'application/pdf', PDF);
      const twice = await submit(maija, { attachments: [id, id] });
      expect(twice.status).toBe(422);
      expect(twice.body.errors).toEqual([{ field: 'attachments[1]', problem: expect.stringContaining('more than once') }]);
      expect((await submit(maija, { attachments: [id] })).status).toBe(201);
    });

    it('refuses someone else’s upload id with 422, in the same words as an unknown id', async () => {
      const agencyUpload = await uploaded(kela, 'kela.pdf', 'application/pdf', PDF);
      const mattiUpload = await uploaded(matti, 'matti.pdf', 'application/pdf', PDF);
      const response = await submit(maija, { attachments: [agencyUpload, mattiUpload, 'unknown-upload-id'] });
      expect(response.status).toBe(422);
      const ids = [agencyUpload, mattiUpload, 'unknown-upload-id'];
      const problems = response.body.errors.map((e: { field: string; problem: string }, i: number) => [e.field, e.problem.replace(ids[i]!, '<id>')]);
      expect(problems).toEqual(ids.map((_, i) => [`attachments[${i}]`, 'there is no upload <id> of yours']));
      expect(response.body.attachments).toEqual([agencyUpload, mattiUpload, 'unknown-upload-id']);
      // The owner can still use it.
      expect((await submit(matti, { attachments: [mattiUpload] })).status).toBe(201);
    });

    it('answers a repeated externalId with 409 and the original id, not with "already used"', async () => {
      const id = await uploaded(kela, 'paatos.pdf', 'application/pdf', PDF);
      const body = decision(HETU.maija, { delivery: 'ordinary', attachments: [id], externalId: 'kela-two-way-1' });
      const first = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(body);
      expect(first.status).toBe(201);
      const repeat = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(body);
      expect(repeat.status).toBe(409);
      expect(repeat.body).toMatchObject({ type: 'urn:asiointitili:problem:duplicate-external-id', id: first.body.id });
    });

    it('accepts 50 attachments on an application and refuses 51 with 400', async () => {
      const ids = await Promise.all(Array.from({ length: 51 }, (_, i) => uploaded(maija, `sivu-${i + 1}.txt`, 'text/plain', Buffer.from(`sivu ${i + 1}\n`))));
      const tooMany = await submit(maija, { attachments: ids });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toContain('attachments');
      const fifty = await submit(maija, { attachments: ids.slice(0, 50) });
      expect(fifty.status).toBe(201);
      const detail = await eventually(async () => {
        const r = await t.http.get(`/v1/citizen/applications/${fifty.body.id}`).set(bearer(maija));
        expect(r.status).toBe(200);
        return r.body;
      });
      expect(detail.attachments).toHaveLength(50);
    });

    it('accepts exactly 10 MiB', async () => {
      const content = Buffer.alloc(10 * MIB, 'a');
      const response = await upload(maija, 'iso.txt', 'text/plain', content);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ size: 10 * MIB, sha256: sha256(content) });
    });

    it('refuses 10 MiB + 1 byte with 413 (declared length) and stores nothing', async () => {
      const before = { records: await storedUploads(), blobs: await storedBlobParts(t, env) };
      const response = await upload(maija, 'liian-iso.txt', 'text/plain', Buffer.alloc(10 * MIB + 1, 'a'));
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: 'urn:asiointitili:problem:attachment-too-large', limit: 10 * MIB });
      expect(await storedUploads()).toBe(before.records);
      expect(await storedBlobParts(t, env)).toBe(before.blobs);
    });

    it('refuses 10 MiB + 1 byte sent without a length (chunked) with 413 while streaming, and stores nothing', async () => {
      const before = { records: await storedUploads(), blobs: await storedBlobParts(t, env) };
      const answer = await chunkedUpload(t, maija, 'liian-iso.txt', 'text/plain', [Buffer.alloc(5 * MIB, 'a'), Buffer.alloc(5 * MIB, 'a'), Buffer.from('a')]);
      expect(answer.status).toBe(413);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body).type).toBe('urn:asiointitili:problem:attachment-too-large');
      expect(await storedUploads()).toBe(before.records);
      expect(await storedBlobParts(t, env)).toBe(before.blobs);
    });

    it('accepts exactly 10 MiB sent without a length (chunked)', async () => {
      const answer = await chunkedUpload(t, maija, 'iso.txt', 'text/plain', [Buffer.alloc(5 * MIB, 'b'), Buffer.alloc(5 * MIB, 'b')]);
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body).size).toBe(10 * MIB);
    });

    it('keeps only the last path segment of the file name, without zero-width characters, and at most 255 bytes; refuses control characters and overrides', async () => {
      const traversal = await upload(maija, '../../etc/Päätös\u200b 2026.pdf', 'application/pdf', PDF);
      expect(traversal.body.name).toBe('Päätös 2026.pdf');
      const disguised = await upload(maija, 'Päätös\u0000 2026\u202e.pdf', 'application/pdf', PDF);
      expect(disguised.status).toBe(400);
      const windows = await upload(maija, 'C:\\Users\\maija\\hakemus.pdf', 'application/pdf', PDF);
      expect(windows.body.name).toBe('hakemus.pdf');
      const long = await upload(maija, `${'ä'.repeat(200)}.pdf`, 'application/pdf', PDF);
      expect(Buffer.byteLength(long.body.name, 'utf8')).toBeLessThanOrEqual(255);
      expect(long.body.name.endsWith('.pdf')).toBe(true);
      const file = await download(maija, `/v1/attachments/${traversal.body.id}`);
      expect(file.headers['content-disposition']).toBe(`attachment; filename="Paatos 2026.pdf"; filename*=UTF-8''P%C3%A4%C3%A4t%C3%B6s%202026.pdf`);
    });

    it.each([
      ['no name', '/v1/attachments'],
      ['an empty name', '/v1/attachments?name='],
      ['a name that is only a path', '/v1/attachments?name=..%2F..%2F'],
      ['an unknown query parameter', '/v1/attachments?name=a.pdf&folder=x'],
      ['a repeated name', '/v1/attachments?name=a.pdf&name=b.pdf'],
    ])('answers %s with 400', async (_case, path) => {
      const response = await t.http.post(path).set(bearer(maija)).set('Content-Type', 'application/pdf').send(PDF);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });
});

interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Sends the chunks with Transfer-Encoding: chunked (no Content-Length), as a streaming client would. */
async function chunkedUpload(t: TestApp, token: string, name: string, type: string, chunks: readonly Buffer[]): Promise<RawAnswer> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: `/v1/attachments?name=${encodeURIComponent(name)}`, headers: { Authorization: `Bearer ${token}`, 'Content-Type': type } },
      (response) => {
        const body: Buffer[] = [];
        response.on('data', (chunk: Buffer) => body.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(body).toString('utf8') }));
      },
    );
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
