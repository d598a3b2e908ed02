import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/api-process';
import { OpenApiConformance } from '../support/openapi-conformance';
import { startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);

type Schema = { $ref?: string; type?: string; format?: string; items?: Schema };
type Operation = {
  summary?: string;
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema; examples?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Record<string, { required?: boolean }> }>;
};
type Document = { servers?: unknown[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

/** Routes reachable without a token: adding one is a decision, so it is listed here. */
const PUBLIC_ROUTES = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /v1/keys', 'POST /v1/auth/token'];

/** The served OpenAPI document is the contract agencies generate clients from. */
describe('the OpenAPI document (/docs/openapi.json)', () => {
  let t: TestApp;
  let document: Document;
  const operations: [string, Operation][] = [];

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/docs/openapi.json').expect(200)).body as Document;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) operations.push([`${method.toUpperCase()} ${path}`, operation]);
    }
  });
  afterAll(async () => t?.destroy());

  it('passes redocly lint (recommended ruleset) with no errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(document));
      const cli = join(REPO_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
      const outcome = await run(process.execPath, [cli, 'lint', '--extends=recommended', '--format=json', file], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
      const report = JSON.parse(outcome.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
      const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      console.log(`redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings over ${operations.length} operations`);
      expect(errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names its servers', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
  });

  it('gives every operation a summary and a documented success answer with a schema', () => {
    const missing = operations.flatMap(([name, operation]) => {
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      const problems: string[] = [];
      if (!operation.summary) problems.push(`${name}: no summary`);
      if (success.length === 0) problems.push(`${name}: no 2xx answer`);
      for (const [status, response] of success) {
        const media = Object.entries(response.content ?? {});
        if (media.length === 0 || media.some(([, body]) => !body.schema)) problems.push(`${name} ${status}: no body schema`);
      }
      return problems;
    });
    expect(missing).toEqual([]);
  });

  it('documents every error answer as application/problem+json against the one Problem schema, Retry-After on 429 and 503', () => {
    const wrong = operations.flatMap(([name, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, response]) => {
          const media = Object.keys(response.content ?? {});
          const problems: string[] = [];
          if (media.length !== 1 || response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') problems.push(`${name} ${status}: ${media.join(', ') || 'no content'}`);
          if ((status === '429' || status === '503') && response.headers?.['Retry-After']?.required !== true) problems.push(`${name} ${status}: no Retry-After`);
          return problems;
        }),
    );
    expect(wrong).toEqual([]);
    expect(document.components.schemas.Problem).toMatchObject({ required: expect.arrayContaining(['type', 'title', 'status', 'detail']) });
  });

  it('marks exactly the public routes `security: []` and every other route as needing a bearer token, with 401 and 403 documented', () => {
    const publicOnes = operations.filter(([, operation]) => operation.security?.length === 0).map(([name]) => name);
    expect(publicOnes.sort()).toEqual([...PUBLIC_ROUTES].sort());
    for (const [name, operation] of operations) {
      if (PUBLIC_ROUTES.includes(name)) continue;
      expect({ name, security: operation.security }).toEqual({ name, security: [{ bearer: [] }] });
      expect({ name, statuses: Object.keys(operation.responses) }).toEqual({ name, statuses: expect.arrayContaining(['401', '403']) });
    }
  });

  it('declares every path parameter, and types limit as an integer', () => {
    for (const [name, operation] of operations) {
      const inPath = [...name.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect({ name, declared }).toEqual({ name, declared: inPath });
      const limit = operation.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
      if (limit) expect({ name, type: limit.schema?.type }).toEqual({ name, type: 'integer' });
    }
  });

  it('documents both answers of an acknowledgement: 201 the first time, 200 for a repeat', () => {
    const acknowledge = document.paths['/v1/citizen/messages/{id}/acknowledgement']?.post;
    expect(Object.keys(acknowledge?.responses ?? {})).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('describes a file download as binary in its own content types', () => {
    const download = document.paths['/v1/attachments/{id}']?.get?.responses['200']?.content ?? {};
    expect(download['application/pdf']?.schema).toEqual({ type: 'string', format: 'binary' });
  });

  it('carries examples for the main requests', () => {
    for (const [path, method] of [['/v1/agency/messages', 'post'], ['/v1/admin/agencies', 'post'], ['/v1/citizen/applications', 'post'], ['/v1/auth/token', 'post']] as const) {
      const content = document.paths[path]?.[method]?.requestBody?.content ?? {};
      expect({ path, examples: Object.values(content).some((body) => body.examples !== undefined) }).toEqual({ path, examples: true });
    }
  });

  describe('the conformance check the end-to-end suites run on every answer', () => {
    const checker = (): OpenApiConformance => new OpenApiConformance(document as unknown as ConstructorParameters<typeof OpenApiConformance>[0]);
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const problemJson = { 'content-type': 'application/problem+json; charset=utf-8' };
    const problem = (status: number) => JSON.stringify({ type: 'urn:asiointitili:problem:x', title: 'X', status, detail: 'x' });

    it('accepts an answer that matches its operation', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/keys', status: 200, headers: json, text: JSON.stringify({ keys: [] }) })).toEqual([]);
    });

    it('refuses a status the operation does not document', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/keys', status: 404, headers: problemJson, text: problem(404) })).toEqual([
        expect.stringContaining('GET /v1/keys: answered 404, which the document does not list'),
      ]);
    });

    it('refuses a body that does not match the schema, naming the member', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/keys', status: 200, headers: json, text: JSON.stringify({ keys: [{ kty: 'RSA' }] }) })).toEqual(
        expect.arrayContaining([expect.stringContaining('body/keys/0/kty must be equal to one of the allowed values')]),
      );
    });

    it('refuses an error that is not a Problem, or not problem+json', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/citizen/account', status: 404, headers: problemJson, text: '{"message":"no"}' })).toEqual(
        expect.arrayContaining([expect.stringContaining("must have required property 'type'")]),
      );
      expect(checker().violations({ method: 'GET', path: '/v1/citizen/account', status: 404, headers: json, text: problem(404) })).toEqual([
        expect.stringContaining('Content-Type application/json is not among the documented application/problem+json'),
      ]);
    });

    it('refuses a 429 without Retry-After', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/citizen/account', status: 429, headers: problemJson, text: problem(429) })).toEqual([
        expect.stringContaining('the required header Retry-After is missing'),
      ]);
    });

    it('refuses a success on a path the document does not have, and accepts a Problem there', () => {
      expect(checker().violations({ method: 'GET', path: '/v1/nowhere', status: 200, headers: json, text: '{}' })).toEqual([expect.stringContaining('no such operation')]);
      expect(checker().violations({ method: 'GET', path: '/v1/nowhere', status: 404, headers: problemJson, text: problem(404) })).toEqual([]);
    });
  });
});
