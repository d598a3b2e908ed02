import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/api-process';
import { BUSINESS_ID } from '../support/fixtures';
import { syntheticHetu } from '../support/synthetic-hetu';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);
const CLIENT_DIR = join(REPO_ROOT, 'clients', 'typescript');
const GENERATED = join(CLIENT_DIR, 'generated', 'openapi.ts');

/**
 * The example agency integration (clients/typescript/agency-integration.ts), loaded at run time:
 * its types come from the generated file, which exists only once this suite has generated it, so
 * the project's own typecheck does not follow the import.
 */
interface Integration {
  agencyClient(baseUrl: string, token: string): unknown;
  uploadAttachment(api: unknown, name: string, contentType: string, bytes: Uint8Array): Promise<{ id: string; sha256: string; size: number }>;
  sendRegisteredDecision(api: unknown, hetu: string, externalId: string, attachments?: readonly string[]): Promise<{ id: string; route?: string; repeated?: true }>;
  messageState(api: unknown, id: string): Promise<{ state: string; acknowledgedAt?: string; attachments: { id: string }[] }>;
  proofOfService(api: unknown, id: string): Promise<string>;
  followFeed(api: unknown, cursor: string | undefined, handle: (item: { type: string; messageId?: string; cursor: string }) => void): Promise<string | undefined>;
  describeFeedItem(item: { type: string; messageId?: string; cursor: string }): string;
  ProblemError: new (...args: never[]) => Error & { status: number; problem: { type: string } };
}

/** An agency integrates from the contract: types generated from the served document, a client that compiles against them and works. */
describe('the typed client (openapi-typescript + openapi-fetch) against a live server', () => {
  let t: TestApp;
  let baseUrl: string;
  /** Left by the delivery test for the one after it: the message, its recipient, the follower's cursor. */
  const delivered = { id: '', hetu: '', cursor: undefined as string | undefined };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.destroy());

  it('generates TypeScript types from /docs/openapi.json and compiles the example integration against them', async () => {
    const document = await (await fetch(`${baseUrl}/docs/openapi.json`)).text();
    await mkdir(join(CLIENT_DIR, 'generated'), { recursive: true });
    const source = join(CLIENT_DIR, 'generated', 'openapi.json');
    // --default-non-nullable=false: a request member with a default (e.g. confidential: false) stays optional to send.
    await writeFile(source, document);
    try {
      await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), source, '--default-non-nullable=false', '-o', GENERATED], { cwd: CLIENT_DIR });
    } finally {
      await rm(source, { force: true });
    }
    const compiled = await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(CLIENT_DIR, 'tsconfig.json')], { cwd: CLIENT_DIR }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');
  }, 120_000);

  it('runs the registered delivery, an attachment upload and a feed follower over HTTP', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const integration = require(join(CLIENT_DIR, 'agency-integration')) as Integration;
    const hetu = syntheticHetu(301);
    await t.http.post('/v1/admin/agencies').set('Authorization', `Bearer ${await t.token({ role: 'admin' })}`).send({ id: 'kela', name: 'Kela', businessId: BUSINESS_ID }).expect(201);
    const citizen = `Bearer ${await t.token({ role: 'citizen', hetu, acr: 'high', amr: 'bank' })}`;
    await t.http.post('/v1/citizen/account').set('Authorization', citizen).send({ language: 'fi' }).expect(201);
    await t.http.put('/v1/citizen/consents/kela').set('Authorization', citizen).expect(200);

    const api = integration.agencyClient(baseUrl, await t.token({ role: 'agency', agency: 'kela' }));
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const upload = await integration.uploadAttachment(api, 'paatos.pdf', 'application/pdf', pdf);
    expect(upload.size).toBe(pdf.length);

    const sent = await integration.sendRegisteredDecision(api, hetu, 'kela-2026-000123', [upload.id]);
    expect(sent.route).toBe('electronic');
    // A retry with the same externalId is told the original id, and sends nothing twice.
    expect(await integration.sendRegisteredDecision(api, hetu, 'kela-2026-000123', [upload.id])).toEqual({ id: sent.id, repeated: true });

    const seen: string[] = [];
    const cursor = await integration.followFeed(api, undefined, (item) => void seen.push(`${item.type} ${item.messageId ?? ''}`.trim()));
    expect(seen).toContain(`sent ${sent.id}`);

    await t.http.post(`/v1/citizen/messages/${sent.id}/acknowledgement`).set('Authorization', citizen).expect(201);
    // The follower resumes after its cursor; the read models take a moment to show the acknowledgement.
    const later = await eventually(async () => {
      const items: string[] = [];
      await integration.followFeed(api, cursor, (item) => void items.push(`${item.type} ${item.messageId ?? ''}`.trim()));
      expect(items).toContain(`acknowledged ${sent.id}`);
      return items;
    });
    expect(later).not.toContain(`sent ${sent.id}`);

    delivered.id = sent.id;
    delivered.hetu = hetu;
    delivered.cursor = await integration.followFeed(api, cursor, () => undefined);

    const state = await integration.messageState(api, sent.id);
    expect(state.state).toBe('acknowledged');
    expect(state.attachments.map((a) => a.id)).toEqual([upload.id]);
    expect((await integration.proofOfService(api, sent.id)).split('.')).toHaveLength(3);

    // An error arrives as the typed Problem.
    await expect(integration.messageState(api, 'no-such-message')).rejects.toMatchObject({ status: 404, problem: { type: 'urn:asiointitili:problem:not-found' } });
  });

  it('follows an act on behalf: the acted-on-behalf item comes typed, after the act, and names the act and the mandate', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const integration = require(join(CLIENT_DIR, 'agency-integration')) as Integration;
    expect(delivered.id).not.toBe('');
    const agentHetu = syntheticHetu(302);
    const mandate = await t.http
      .post('/v1/admin/mandates')
      .set('Authorization', `Bearer ${await t.token({ role: 'admin' })}`)
      .send({ principal: { hetu: delivered.hetu }, agent: { hetu: agentHetu }, relation: 'mandate', scopes: ['read'] });
    expect(mandate.status).toBe(201);
    const agent = `Bearer ${await t.token({ role: 'citizen', hetu: agentHetu, acr: 'substantial', amr: 'mobile' })}`;
    await t.http.get(`/v1/citizen/messages/${delivered.id}`).set('Authorization', agent).set('X-Act-For', mandate.body.id).expect(200);

    const api = integration.agencyClient(baseUrl, await t.token({ role: 'agency', agency: 'kela' }));
    const lines = await eventually(async () => {
      const seen: string[] = [];
      await integration.followFeed(api, delivered.cursor, (item) => void seen.push(integration.describeFeedItem(item)));
      expect(seen).toEqual([
        `read ${delivered.id}: opened by the recipient`,
        `acted-on-behalf ${delivered.id}: done on the recipient's behalf (read under mandate ${mandate.body.id}, mandate)`,
      ]);
      return seen;
    });
    expect(lines.join('\n')).not.toContain(delivered.hetu);
  });
});
