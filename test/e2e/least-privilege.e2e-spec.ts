import type { Response } from 'supertest';
import { BUSINESS_ID, decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Least privilege, proven (issue 6, item 3): every operation in the OpenAPI document, called with
 * no token and with each role's token. The expected roles come from the path prefix; anything the
 * prefixes do not cover must be listed below with its reason, so a new route cannot slip through
 * unclassified. Runs against the document the app serves, so routes added later are walked too.
 */

type Role = 'citizen' | 'agency' | 'auditor' | 'admin';
const ROLES: readonly Role[] = ['citizen', 'agency', 'auditor', 'admin'];
type Access = { readonly kind: 'public'; readonly why: string } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

/** Which roles a path prefix is for (API.md). */
const PREFIX_ROLES: ReadonlyArray<readonly [string, readonly Role[]]> = [
  ['/v1/admin/', ['admin']],
  ['/v1/citizen/', ['citizen']],
  ['/v1/agency/', ['agency']],
  ['/v1/audit/', ['auditor']],
  ['/v1/attachments', ['citizen', 'agency']],
];

/** Routes reachable without a token, each with its reason. Nothing else may be. */
const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  'GET /v1/keys': 'the evidence JWKS: proofs are verified offline by anyone',
  'POST /v1/auth/token': 'the client credentials in the request are the authentication',
  'GET /health': 'readiness for load balancers (as /health/ready); no personal data',
  'GET /health/live': 'liveness for orchestrators; no dependency checked, no personal data',
  'GET /health/ready': 'readiness for load balancers: ports, followers, read-model lag; no personal data',
  'GET /metrics': 'Prometheus scrape endpoint, like /health; counts only, no personal data',
};

/** Operations the prefix table does not decide, with the roles they are for and why. None today. */
const EXCEPTIONS: Readonly<Record<string, readonly Role[]>> = {};

function accessOf(name: string, template: string): Access | undefined {
  if (Object.hasOwn(PUBLIC_ROUTES, name)) return { kind: 'public', why: PUBLIC_ROUTES[name]! };
  if (Object.hasOwn(EXCEPTIONS, name)) return { kind: 'roles', roles: EXCEPTIONS[name]! };
  const match = PREFIX_ROLES.find(([prefix]) => `${template}/`.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
  return match ? { kind: 'roles', roles: match[1] } : undefined;
}

interface SchemaObject {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
  readonly items?: SchemaObject;
  readonly minimum?: number;
  readonly minItems?: number;
}
interface OpenApiOperation {
  readonly parameters?: readonly { readonly in: string; readonly name: string; readonly required?: boolean }[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema?: SchemaObject }>> };
}
interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, SchemaObject>> };
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly name: string;
  readonly access: Access | undefined;
  readonly operation: OpenApiOperation;
}

/** Reads first, then writes, then deletions: a deletion late in the walk cannot turn an earlier call into a miss. */
const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

// Every operation × every role is hundreds of requests per test: a busy machine slows the walk down, it must not fail it.
jest.setTimeout(180_000);

describe('least privilege over every route in the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let operations: Operation[];
  let messageId: string;
  let clientId: string;
  let clientSecret: string;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await startTestApp();
    await registerAgency(t, 'kela');
    // Admin routes act on another agency than the one whose token walks the agency routes, so that
    // an allowlist set by the walk cannot lock that token out.
    await registerAgency(t, 'vero');
    const citizen = await openAccountWithConsent(t, HETU.maija, 'kela');
    const agency = await t.token({ role: 'agency', agency: 'kela' });
    const admin = await t.token({ role: 'admin' });
    tokens.set('citizen', citizen).set('agency', agency).set('auditor', await t.token({ role: 'auditor' })).set('admin', admin);
    const sent = await t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija, { replyAllowed: true }));
    expect(sent.status).toBe(201);
    messageId = sent.body.id as string;
    const issued = await t.http.post('/v1/admin/agencies/vero/credentials').set('Authorization', `Bearer ${admin}`);
    expect(issued.status).toBe(201);
    clientId = issued.body.clientId as string;
    clientSecret = issued.body.clientSecret as string;

    const served = await t.http.get('/docs/openapi.json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
    operations = Object.entries(document.paths)
      .flatMap(([template, byMethod]) =>
        Object.entries(byMethod).map(([method, operation]) => {
          const name = `${method.toUpperCase()} ${template}`;
          return { method, template, name, access: accessOf(name, template), operation };
        }),
      )
      .sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
  });
  afterAll(() => t?.destroy());

  /** A plausible value for a path parameter: real ids where the route's resource exists. */
  function pathParam(template: string, name: string): string {
    if (name === 'id' && template.startsWith('/v1/admin/agencies/')) return 'vero';
    if (name === 'clientId') return clientId;
    if (name === 'agencyId') return 'kela';
    if (name === 'hetu') return HETU.maija;
    if (name === 'stream') return `message-${messageId}`;
    return messageId;
  }

  const QUERY_VALUES: Readonly<Record<string, string>> = { name: 'probe.txt', limit: '10', stream: `message-x`, until: '0' };

  function pathOf(op: Operation): string {
    const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathParam(op.template, name)));
    const query = (op.operation.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${encodeURIComponent(QUERY_VALUES[p.name] ?? 'x')}`);
    return query.length > 0 ? `${path}?${query.join('&')}` : path;
  }

  function resolve(schema: SchemaObject | undefined): SchemaObject | undefined {
    const name = schema?.$ref?.split('/').pop();
    return name ? document.components?.schemas?.[name] : schema;
  }

  /** A well-formed value for a schema: its example, its first enum value, or one built from its type and required members. */
  function sample(schemaOrRef: SchemaObject | undefined, name = ''): unknown {
    const schema = resolve(schemaOrRef);
    if (!schema) return {};
    if (schema.example !== undefined) return schema.example;
    if (schema.enum?.length) return schema.enum[0];
    const byName: Readonly<Record<string, unknown>> = { hetu: HETU.maija, hetus: [HETU.maija], businessId: BUSINESS_ID, agencyId: 'kela', language: 'fi', id: 'probe-agency', grant_type: 'client_credentials' };
    if (Object.hasOwn(byName, name)) return byName[name];
    switch (schema.type) {
      case 'string':
        return 'Probe';
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items));
      default:
        return Object.fromEntries((schema.required ?? []).map((member) => [member, sample(schema.properties?.[member], member)]));
    }
  }

  /** Bodies a schema cannot describe: the token request is well-formed only with real client credentials. */
  const wellFormedBodies = (): Readonly<Record<string, unknown>> => ({
    'POST /v1/auth/token': { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
  });

  async function call(op: Operation, role: Role | undefined): Promise<Response> {
    let request = t.http[op.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](pathOf(op));
    if (role) request = request.set('Authorization', `Bearer ${tokens.get(role)}`);
    const content = op.operation.requestBody?.content ?? {};
    const known = wellFormedBodies();
    if (content['application/json']) {
      const body = Object.hasOwn(known, op.name) ? known[op.name] : sample(content['application/json'].schema);
      return request.set('Content-Type', 'application/json').send(JSON.stringify(body));
    }
    if (content['text/plain']) return request.set('Content-Type', 'text/plain').send('least-privilege probe');
    return request;
  }

  const describeAnswer = (op: Operation, who: string, response: Response) => `${op.name} as ${who}: ${response.status} ${JSON.stringify(response.body?.detail ?? '')}`;

  it('finds the routes of every area in the document', () => {
    const templates = operations.map((op) => op.template);
    for (const prefix of ['/v1/admin/', '/v1/citizen/', '/v1/agency/', '/v1/audit/', '/v1/attachments', '/v1/keys', '/v1/auth/token', '/health']) {
      expect({ prefix, found: templates.some((template) => template.startsWith(prefix)) }).toEqual({ prefix, found: true });
    }
  });

  it('classifies every operation by its path prefix, as public with a reason, or as a listed exception', () => {
    expect(operations.filter((op) => op.access === undefined).map((op) => op.name)).toEqual([]);
  });

  it('answers 401 problem+json without a token on every route but the public ones, which answer without 401, 403 or 5xx', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      const response = await call(op, undefined);
      const ok = op.access?.kind === 'public' ? ![401, 403].includes(response.status) && response.status < 500 : response.status === 401 && /problem\+json/.test(response.headers['content-type'] ?? '');
      if (!ok) wrong.push(describeAnswer(op, 'no token', response));
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 problem+json to every role a route is not for', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      if (op.access?.kind !== 'roles') continue;
      for (const role of ROLES.filter((r) => !(op.access as { roles: readonly Role[] }).roles.includes(r))) {
        const response = await call(op, role);
        if (response.status !== 403 || !/problem\+json/.test(response.headers['content-type'] ?? '')) wrong.push(describeAnswer(op, role, response));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to auditors on every route that writes; a public one answers their token as if it were not there', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.method !== 'get')) {
      const response = await call(op, 'auditor');
      const ok = op.access?.kind === 'public' ? response.status === (await call(op, undefined)).status : response.status === 403;
      if (!ok) wrong.push(describeAnswer(op, 'auditor', response));
    }
    expect(wrong).toEqual([]);
  });

  it('never answers 401 or 403 to the role a route is for, nor 5xx to anyone; most such calls succeed (the walk is not vacuous)', async () => {
    const wrong: string[] = [];
    let calls = 0;
    let successes = 0;
    for (const op of operations) {
      const callers: readonly (Role | undefined)[] = op.access?.kind === 'roles' ? op.access.roles : [undefined, ...ROLES];
      for (const role of callers) {
        const response = await call(op, role);
        calls += 1;
        if (response.status < 300) successes += 1;
        if ([401, 403].includes(response.status) || response.status >= 500) wrong.push(describeAnswer(op, role ?? 'no token', response));
      }
    }
    expect(wrong).toEqual([]);
    expect(successes).toBeGreaterThan(calls / 2);
  });
});
