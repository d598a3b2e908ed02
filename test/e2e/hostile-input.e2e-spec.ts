import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { BUSINESS_ID, decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { deeplyNested, EDGE_STRINGS, hostileString, jsonString, jsonText, keyArbitrary, percentEncode, withMember } from '../support/hostile-json';
import { startTestApp, type TestApp, type TokenClaims } from '../support/test-app';
import { isWellFormedUnicode } from '@asiointitili/app/http/json-guard';
import { isBodyText, isLineText } from '@asiointitili/app/http/text-policy';

/**
 * The attacker model of issue 6, item 4: anyone who can reach the API sends whatever bytes they
 * like to every route. Generated from the OpenAPI document, so a route added later is attacked
 * too. For every request: never a 5xx; every refusal is problem+json; and a refused request
 * leaves no event in the log (none carries its correlation id, and the audit count stays put).
 */

interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Property names of the request body schema; undefined when the route takes no JSON body. */
  readonly bodyFields?: readonly string[];
  readonly role?: TokenClaims['role'];
  readonly name: string;
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: { readonly schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}
interface OpenApiOperation {
  readonly parameters?: readonly { in: string; name: string }[];
  readonly requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
}

/** Query parameters the OpenAPI document does not list yet (class-validator query classes without ApiProperty). */
const UNLISTED_QUERY: Readonly<Record<string, readonly string[]>> = {};

/** Whose token a route wants, by its prefix; other routes are called without one. */
function roleFor(template: string): TokenClaims['role'] | undefined {
  if (template.startsWith('/v1/admin')) return 'admin';
  if (template.startsWith('/v1/agency')) return 'agency';
  if (template.startsWith('/v1/citizen')) return 'citizen';
  if (template.startsWith('/v1/audit')) return 'auditor';
  return undefined;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]): Operation => {
      const json = operation.requestBody?.content['application/json'];
      const schemaName = json?.schema?.$ref?.split('/').pop();
      const schema = schemaName ? document.components.schemas[schemaName] : undefined;
      return {
        method: method as Operation['method'],
        template,
        pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        queryParams: [...(operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), ...(UNLISTED_QUERY[template] ?? [])],
        bodyFields: json ? Object.keys(schema?.properties ?? {}) : undefined,
        role: roleFor(template),
        name: `${method.toUpperCase()} ${template}`,
      };
    }),
  );
}

const NUM_RUNS = 100;

type Request = ReturnType<TestApp['http']['get']>;

/** A member (not a string value) named __proto__, constructor or prototype anywhere in JSON text: `"name":` with an unescaped quote. */
const hasReservedMember = (text: string): boolean => /(?<!\\)"(?:__proto__|constructor|prototype)"\s*:/.test(text);

/** The bytes as given: superagent would otherwise JSON-encode a Buffer sent as application/json. */
const rawBody = (request: Request, body: string | Buffer): Request => request.serialize((data: unknown) => data as string).send(body);

// The fuzz properties send thousands of requests: generous limits, so a busy machine slows the suite
// down instead of failing it (a timed-out property keeps running and starves the next test).
jest.setTimeout(240_000);

describe('hostile input to every route is refused cleanly and never reaches the log', () => {
  let t: TestApp;
  let operations: Operation[];
  let messageId: string;
  const tokens = new Map<string, string>();
  let requestCounter = 0;
  /** Every answer the suite saw, by status: printed at the end (the issue asks for the counts). */
  const statusCounts = new Map<number, number>();
  let eventsAtStart = 0;

  /** A valid body per route, for near-valid mutations; routes not listed get one built from their schema's field names. */
  let seeds: Record<string, Record<string, unknown>>;
  /** Valid values of path parameters: a mutation of one leaves the others pointing at real things. */
  let validParams: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    await registerAgency(t, 'kela');
    // No email or phone: an accepted send then causes no background events that would blur the log checks.
    await openAccountWithConsent(t, HETU.maija, 'kela');
    for (const claims of [
      { role: 'admin' },
      { role: 'agency', agency: 'kela' },
      { role: 'citizen', hetu: HETU.maija },
      { role: 'auditor' },
    ] as const satisfies readonly TokenClaims[]) {
      tokens.set(claims.role, await t.token(claims));
    }
    const sent = await t.http.post('/v1/agency/messages').set(bearer('agency')).send(decision(HETU.maija));
    expect(sent.status).toBe(201);
    messageId = sent.body.id as string;
    validParams = { id: messageId, agencyId: 'kela', hetu: HETU.maija, stream: `message-${messageId}` };
    seeds = {
      'POST /v1/admin/agencies': { id: 'agency-seed', name: 'Seed', businessId: BUSINESS_ID },
      'POST /v1/citizen/account': { language: 'fi' },
      'POST /v1/agency/recipients': { hetus: [HETU.maija] },
      'POST /v1/agency/messages': decision(HETU.maija, { delivery: 'ordinary' }),
    };
    const document = await t.http.get('/docs/openapi.json');
    operations = operationsOf(document.body as OpenApiDocument);
    eventsAtStart = await auditedEventCount();
  });
  afterAll(async () => {
    if (t) {
      const total = [...statusCounts.values()].reduce((a, b) => a + b, 0);
      const fiveHundreds = [...statusCounts].filter(([status]) => status >= 500).reduce((a, [, n]) => a + n, 0);
      const byStatus = [...statusCounts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
      const eventsAtEnd = await auditedEventCount();
      console.log(
        `hostile input: ${total} requests over ${operations.length} operations; ${fiveHundreds} answered 5xx; by status: ${byStatus}; ` +
          `audited events ${eventsAtStart} before, ${eventsAtEnd} after (only accepted requests add events)`,
      );
    }
    await t?.destroy();
  });

  const bearer = (role: string | undefined): Record<string, string> => (role ? { Authorization: `Bearer ${tokens.get(role)}` } : {});
  const withBody = () => operations.filter((op) => op.bodyFields !== undefined);
  const withPathParams = () => operations.filter((op) => op.pathParams.length > 0);
  const withQuery = () => operations.filter((op) => op.queryParams.length > 0);

  const seedFor = (op: Operation): Record<string, unknown> =>
    seeds[op.name] ?? Object.fromEntries((op.bodyFields ?? []).map((field) => [field, 'x']));

  function pathOf(op: Operation, overrides: Readonly<Record<string, string>> = {}): string {
    return op.template.replace(/\{([^}]+)\}/g, (_, name: string) => overrides[name] ?? encodeURIComponent(validParams[name] ?? 'x'));
  }

  async function auditedEventCount(): Promise<number> {
    const report = await t.http.get('/v1/audit/verify').set(bearer('auditor'));
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(true);
    return report.body.events as number;
  }

  /** Sends one request with a fresh correlation id and checks the answer and the log. */
  async function attack(
    op: Operation,
    build: (request: Request) => Request,
    path = pathOf(op),
  ): Promise<Response> {
    const requestId = `hostile-${++requestCounter}`;
    const head = await t.runtime.events.headPosition();
    const response = await build(t.http[op.method](path).set(bearer(op.role)).set('X-Request-Id', requestId));
    expectClean(response, op);
    if (response.status >= 400) {
      const appended = await t.runtime.events.readAll({ after: head ?? undefined, maxCount: 1000 });
      expect(appended.filter((event) => event.metadata.correlationId === requestId)).toEqual([]);
    }
    return response;
  }

  function expectClean(response: Response, op: Operation): void {
    statusCounts.set(response.status, (statusCounts.get(response.status) ?? 0) + 1);
    if (response.status >= 500) throw new Error(`${op.name} answered ${response.status}: ${JSON.stringify(response.body)}`);
    if (response.status < 400) return;
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: expect.stringMatching(/^urn:asiointitili:problem:[a-z-]+$/),
      title: expect.any(String),
      status: response.status,
      detail: expect.any(String),
    });
  }

  /** Runs `property` per operation; when nothing was accepted, the audited event count must not have moved. */
  async function forEachOperation<Ts extends [unknown, ...unknown[]]>(
    ops: readonly Operation[],
    property: (op: Operation, accepted: () => void) => fc.IAsyncPropertyWithHooks<Ts>,
    numRuns = NUM_RUNS,
  ): Promise<void> {
    for (const op of ops) {
      const before = await auditedEventCount();
      let anyAccepted = false;
      await fc.assert(property(op, () => (anyAccepted = true)), { numRuns });
      if (!anyAccepted) expect({ route: op.name, events: await auditedEventCount() }).toEqual({ route: op.name, events: before });
    }
  }

  it('finds the routes to attack in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(withBody().map((op) => op.name)).toEqual(expect.arrayContaining(['POST /v1/agency/messages', 'POST /v1/admin/agencies', 'POST /v1/citizen/account']));
  });

  it('answers arbitrary JSON bodies (wrong types, prototype keys, duplicate keys, unicode edges) on every body route without a 5xx', async () => {
    await forEachOperation(withBody(), (op, accepted) =>
      fc.asyncProperty(jsonText(op.bodyFields ?? []), async (text) => {
        const response = await attack(op, (r) => r.set('Content-Type', 'application/json').send(text));
        if (response.status < 400) accepted();
        if (hasReservedMember(text)) expect(response.status).toBe(400);
      }),
    );
  }, 480_000);

  it('answers near-valid bodies with one hostile member without a 5xx, and refuses prototype-pollution keys at any depth', async () => {
    await forEachOperation(withBody(), (op, accepted) =>
      fc.asyncProperty(keyArbitrary(op.bodyFields ?? []), jsonText(op.bodyFields ?? []), async (key, text) => {
        const response = await attack(op, (r) => r.set('Content-Type', 'application/json').send(withMember(seedFor(op), key, text)));
        if (response.status < 400) accepted();
        if (['__proto__', 'constructor', 'prototype'].includes(key) || hasReservedMember(text)) expect(response.status).toBe(400);
      }),
    );
  }, 480_000);

  it('answers near-valid bodies with a hostile string in one field: refused by the text policy, or accepted and stored exactly as sent', async () => {
    const messageText = new Set(['subject', 'body', 'externalId', 'inReplyTo']);
    const lineFields = new Set(['subject', 'externalId', 'inReplyTo', 'name']);
    await forEachOperation(withBody(), (op, accepted) =>
      fc.asyncProperty(fc.constantFrom(...Object.keys(seedFor(op))), hostileString, async (field, value) => {
        const head = await t.runtime.events.headPosition();
        const response = await attack(op, (r) => r.set('Content-Type', 'application/json').send(withMember(seedFor(op), field, jsonString(value))));
        if (!isWellFormedUnicode(value)) expect(response.status).toBe(400);
        if (op.name === 'POST /v1/agency/messages' && lineFields.has(field) && !isLineText(value)) expect(response.status).toBe(400);
        if (op.name === 'POST /v1/agency/messages' && field === 'body' && !isBodyText(value)) expect(response.status).toBe(400);
        if (response.status >= 400) return;
        accepted();
        if (op.name !== 'POST /v1/agency/messages' || !messageText.has(field)) return;
        // What the text policy lets through (RTL marks, combining marks, emoji) reaches the log unchanged: what the agency sent is what is served.
        const [sent] = (await t.runtime.events.readAll({ after: head ?? undefined, maxCount: 100 })).filter((e) => e.type === 'MessageSent' && e.data.messageId === response.body.id);
        expect(sent?.data[field]).toBe(value);
      }),
    );
  }, 480_000);

  it('refuses JSON nested deeper than the limit with 400, however deep (up to the body size limit)', async () => {
    await forEachOperation(
      withBody(),
      (op) =>
        fc.asyncProperty(fc.integer({ min: 33, max: 400_000 }), fc.constantFrom('array' as const, 'object' as const), fc.boolean(), async (depth, shape, inField) => {
          const nested = deeplyNested(depth, shape);
          const text = inField ? withMember(seedFor(op), Object.keys(seedFor(op))[0] ?? 'x', nested) : nested;
          const response = await attack(op, (r) => r.set('Content-Type', 'application/json').send(text));
          expect([400, 413]).toContain(response.status);
        }),
      25,
    );
  }, 480_000);

  it('refuses bodies that are not UTF-8 JSON with 400 or 415: invalid byte sequences, other charsets, other media types', async () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('{"subject":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const cases: readonly (readonly [string, Buffer | string])[] = [
      ['application/json', invalidUtf8],
      ['application/json; charset=utf-16le', Buffer.from('{"a":1}', 'utf16le')],
      ['application/json; charset=latin1', '{"a":"ä"}'],
      ['text/plain', '{"a":1}'],
      ['application/x-www-form-urlencoded', 'a=1&__proto__[x]=1'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'],
      ['application/xml', '<a/>'],
    ];
    await forEachOperation(
      withBody(),
      (op) =>
        fc.asyncProperty(fc.constantFrom(...cases), async ([type, body]) => {
          const response = await attack(op, (r) => rawBody(r.set('Content-Type', type), body));
          expect([400, 415]).toContain(response.status);
        }),
      cases.length * 2,
    );
  }, 240_000);

  it('refuses bodies under a Content-Encoding they are not in, or in none the server reads, with 400 or 415 and never a 5xx', async () => {
    const codings = ['gzip', 'deflate', 'br', 'x-gzip', 'compress', 'gzip, gzip', 'GZIP', 'identity, gzip', 'zstd'];
    const bodies: fc.Arbitrary<Buffer> = fc.oneof(
      fc.constantFrom(Buffer.from('xx'), Buffer.from('{"a":1}'), Buffer.alloc(0), Buffer.from([0x1f, 0x8b, 0x08, 0x00])),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      // Compressed, then cut short or corrupted: the decoder fails part-way through.
      fc.tuple(fc.constantFrom(gzipSync, deflateSync, brotliCompressSync), fc.nat({ max: 20 })).map(([compress, cut]) => {
        const whole = compress(Buffer.from(JSON.stringify({ subject: 'x'.repeat(200) })));
        return whole.subarray(0, Math.max(1, whole.length - 1 - cut));
      }),
    );
    await forEachOperation(
      withBody(),
      (op, accepted) =>
        fc.asyncProperty(fc.constantFrom(...codings), bodies, async (coding, body) => {
          const response = await attack(op, (r) => rawBody(r.set('Content-Type', 'application/json').set('Content-Encoding', coding), body));
          if (response.status < 400) accepted();
          else expect([400, 413, 415]).toContain(response.status);
        }),
      40,
    );
  }, 480_000);

  it('accepts a well-formed gzip body (the encodings the parser reads stay readable)', async () => {
    const op = operations.find((o) => o.name === 'POST /v1/agency/recipients')!;
    const response = await attack(op, (r) => rawBody(r.set('Content-Type', 'application/json').set('Content-Encoding', 'gzip'), gzipSync(JSON.stringify({ hetus: [HETU.maija] }))));
    expect(response.status).toBe(200);
  });

  it('answers hostile path parameters (encoded slashes and dots, malformed escapes, huge, unicode) without a 5xx', async () => {
    const rawSegments = ['%2F', 'a%2Fb', '%2e%2e', '..%2F..%2Fetc', '%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%ED%A0%80', 'a;b', 'x'.repeat(4000)];
    await forEachOperation(withPathParams(), (op, accepted) =>
      fc.asyncProperty(
        fc.constantFrom(...op.pathParams),
        fc.oneof(fc.constantFrom(...rawSegments), hostileString.map(percentEncode)),
        async (param, segment) => {
          const response = await attack(op, (r) => r, pathOf(op, { [param]: segment }));
          if (response.status < 400) accepted();
        },
      ),
    );
  }, 480_000);

  it('answers hostile query strings (repeated keys, prototype keys, unknown keys, huge values) without a 5xx', async () => {
    await forEachOperation(withQuery(), (op, accepted) =>
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...op.queryParams), keyArbitrary(op.queryParams)), hostileString), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (pairs, repeatFirst) => {
          const all = repeatFirst ? [...pairs, pairs[0]!] : pairs;
          const query = all.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
          const response = await attack(op, (r) => r, `${pathOf(op)}?${query}`);
          if (response.status < 400) accepted();
        },
      ),
    );
  }, 480_000);

  describe('named attacks, each refused with its own problem type', () => {
    const sendOp = (): Operation => operations.find((o) => o.name === 'POST /v1/agency/messages')!;
    const sendText = (text: string | Buffer, type = 'application/json') => attack(sendOp(), (r) => rawBody(r.set('Content-Type', type), text));
    const valid = () => decision(HETU.maija, { delivery: 'ordinary' });

    it.each([
      ['a recipient given as an empty array', '[]'],
      ['a recipient given as an array of a valid recipient', `[{"hetu":"${HETU.maija}"}]`],
    ])('refuses %s with 400 naming recipient (an array used to pass the nested check and crash the handler)', async (_name, recipient) => {
      const response = await sendText(withMember(valid(), 'recipient', recipient));
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('recipient');
    });

    it.each([
      ['__proto__ inside the recipient', `{"hetu":"${HETU.maija}","__proto__":{"isAdmin":true}}`],
      ['constructor.prototype inside the recipient', `{"hetu":"${HETU.maija}","constructor":{"prototype":{"isAdmin":true}}}`],
    ])('refuses %s with 400 forbidden-key and pollutes nothing', async (_name, recipient) => {
      const response = await sendText(withMember(valid(), 'recipient', recipient));
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:asiointitili:problem:forbidden-key');
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('refuses a subject with a lone surrogate (valid JSON, not valid Unicode) with 400 malformed-unicode', async () => {
      // JSON.stringify writes the lone surrogate as the escape \\ud800: valid JSON text.
      const response = await sendText(withMember(valid(), 'subject', jsonString('P\uD800äätös')));
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:asiointitili:problem:malformed-unicode');
    });

    it('refuses bytes that are not UTF-8 with 400 malformed-unicode instead of storing replacement characters', async () => {
      const body = Buffer.concat([Buffer.from(withMember(valid(), 'subject', '"').slice(0, -1)), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const response = await sendText(body);
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:asiointitili:problem:malformed-unicode');
    });

    it.each([
      ['gzip', Buffer.from('xx')],
      ['deflate', Buffer.from('xx')],
      ['br', Buffer.from('xx')],
    ])('refuses a body that does not decode under Content-Encoding %s with 400 undecodable-body (it was a 500)', async (coding, body) => {
      const response = await attack(sendOp(), (r) => rawBody(r.set('Content-Type', 'application/json').set('Content-Encoding', coding), body));
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:asiointitili:problem:undecodable-body');
    });

    it('refuses a repeated recipient with 400 duplicate-member naming it, instead of sending to the last one named', async () => {
      const text = withMember(valid(), 'recipient', `{"hetu":"${HETU.maija}"}`).slice(0, -1) + `,"recipient":{"hetu":"${HETU.matti}"}}`;
      const response = await sendText(text);
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:asiointitili:problem:duplicate-member');
      expect(response.body.errors).toEqual([{ field: 'recipient', problem: 'appears more than once' }]);
    });

    it('refuses a member repeated inside a nested object, naming its path', async () => {
      const response = await sendText(withMember(valid(), 'recipient', `{"hetu":"${HETU.maija}","hetu":"${HETU.matti}"}`));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'recipient.hetu', problem: 'appears more than once' }]);
    });

    it('refuses an upload under a Content-Encoding with 415 unsupported-content-encoding, storing nothing', async () => {
      const op = operations.find((o) => o.name === 'POST /v1/attachments')!;
      const response = await attack(op, (r) => rawBody(r.set(bearer('agency')).set('Content-Type', 'text/plain').set('Content-Encoding', 'gzip'), gzipSync('hello')), '/v1/attachments?name=a.txt');
      expect(response.status).toBe(415);
      expect(response.body.type).toBe('urn:asiointitili:problem:unsupported-content-encoding');
    });

    it('answers verify of a stream that does not exist with 404, not "ok, 0 streams"', async () => {
      const op = operations.find((o) => o.name === 'GET /v1/audit/verify')!;
      const missing = await attack(op, (r) => r, '/v1/audit/verify?stream=message-no-such-message');
      expect(missing.status).toBe(404);
      const present = await t.http.get(`/v1/audit/verify?stream=message-${messageId}`).set(bearer('auditor'));
      expect(present.body).toMatchObject({ ok: true, streams: 1 });
    });

    it('refuses a body in UTF-16 with 415', async () => {
      const response = await sendText(Buffer.from(JSON.stringify(valid()), 'utf16le'), 'application/json; charset=utf-16le');
      expect(response.status).toBe(415);
    });

    it('refuses a body nested 33 levels deep with 400 too-deeply-nested, and 100,000 levels just the same', async () => {
      for (const depth of [33, 100_000]) {
        const response = await sendText(withMember(valid(), 'subject', deeplyNested(depth, 'object')));
        expect(response.status).toBe(400);
        expect(response.body.type).toBe('urn:asiointitili:problem:too-deeply-nested');
      }
    });

    it('answers a message id with an encoded slash or a malformed escape with 400 problem+json', async () => {
      const op = operations.find((o) => o.name === 'GET /v1/agency/messages/{id}')!;
      for (const segment of ['a%2Fb', '%2e%2e', '%', '%E0%A4%A']) {
        const response = await attack(op, (r) => r, `/v1/agency/messages/${segment}`);
        expect(response.status).toBe(400);
      }
    });

    it('refuses a subject with NUL or a right-to-left override with 400 naming subject', async () => {
      for (const subject of ['a\u0000b', 'lasku \u202Efdp.exe']) {
        const response = await sendText(JSON.stringify(decision(HETU.maija, { delivery: 'ordinary', subject })));
        expect(response.status).toBe(400);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['subject']);
      }
    });

    it('refuses an upload whose file name carries a control character or a right-to-left override with 400 invalid-file-name', async () => {
      const op = operations.find((o) => o.name === 'POST /v1/attachments')!;
      for (const name of ['lasku\u202Efdp.exe', 'a\u0000.txt', 'a\r\nb.txt']) {
        const response = await attack(op, (r) => rawBody(r.set(bearer('agency')).set('Content-Type', 'text/plain'), 'hello'), `/v1/attachments?name=${encodeURIComponent(name)}`);
        expect(response.status).toBe(400);
        expect(response.body.type).toBe('urn:asiointitili:problem:invalid-file-name');
      }
    });

    it('stores a subject with zero-width joiner, combining marks, emoji and RTL marks exactly as sent', async () => {
      const subject = 'a b \u200D e\u0301\u0301 👩‍👩‍👧 \u200F';
      const response = await sendText(JSON.stringify(decision(HETU.maija, { delivery: 'ordinary', subject })));
      expect(response.status).toBe(201);
      const [sent] = await t.runtime.events.readStream(`message-${response.body.id}`, { maxCount: 1 });
      expect(sent?.data.subject).toBe(subject);
    });
  });

  it('answers limit repeated as ?limit=1&limit=2 with 400 rather than reading an array', async () => {
    for (const op of withQuery().filter((o) => o.queryParams.includes('limit'))) {
      const response = await attack(op, (r) => r, `${pathOf(op)}?limit=1&limit=2`);
      expect(response.status).toBe(400);
    }
  });

  it('answers hostile headers on every operation (media types, charsets, codings, Accept, forwarded addresses) without a 5xx', async () => {
    const headerSets = fc.record(
      {
        'Content-Type': fc.oneof(
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf-16', 'application/merge-patch+json', 'application/x-www-form-urlencoded', 'text/plain', '*/*', 'application/', ';', 'application/json; boundary=x; charset=utf-8; charset=latin1'),
          hostileString.filter((v) => /^[\t\x20-\x7e]*$/.test(v)),
        ),
        'Content-Encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, br', 'zstd', ''),
        Accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json;q=0', ''),
        'X-Forwarded-For': fc.constantFrom('1.2.3.4', '::1', 'not-an-address', '1.2.3.4, 5.6.7.8', '999.999.999.999', ''),
        'Accept-Encoding': fc.constantFrom('gzip', 'br;q=1, *;q=0', 'x'),
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(fc.constant(''), jsonText([]), fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)));
    await forEachOperation(
      operations,
      (op, accepted) =>
        fc.asyncProperty(headerSets, bodies, async (headers, body) => {
          const response = await attack(op, (r) => {
            let request = r;
            for (const [name, value] of Object.entries(headers)) if (value !== '') request = request.set(name, value);
            return op.method === 'get' ? request : rawBody(request, body);
          });
          if (response.status < 400) accepted();
        }),
      15,
    );
  }, 720_000);

  it('answers an Expect it cannot meet with 417 problem+json, and 100-continue with 100 then the answer (raw socket: superagent cannot send Expect)', async () => {
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as import('node:net').AddressInfo;
    const exchange = (expect: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`POST /v1/agency/recipients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.get('agency')}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: ${expect}\r\nConnection: close\r\n\r\n`);
          setTimeout(() => socket.write('{}'), 100);
        });
        let received = '';
        socket.on('data', (data: Buffer) => (received += data.toString('utf8')));
        socket.once('close', () => resolve(received));
        socket.once('error', reject);
      });
    const unknown = await exchange('x-unknown');
    expect(unknown).toMatch(/^HTTP\/1\.1 417/);
    expect(unknown).toMatch(/content-type: application\/problem\+json/i);
    expect(unknown).toContain('urn:asiointitili:problem:expectation-failed');
    const continued = await exchange('100-continue');
    expect(continued).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 400/);
  });

  it('answers hostile uploads (any bytes, declared types, names, codings) without a 5xx, storing only what it accepts', async () => {
    const op = operations.find((o) => o.name === 'POST /v1/attachments')!;
    const types = fc.constantFrom('application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/plain; charset=latin1', 'application/zip', 'application/octet-stream', 'application/json', 'text/html', '');
    const contents = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(Buffer.from('%PDF-1.7\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('PK\x03\x04'), Buffer.alloc(0)),
    );
    await forEachOperation([op], (_op, accepted) =>
      fc.asyncProperty(types, contents, hostileString, fc.constantFrom('', 'gzip', 'identity'), async (type, content, name, coding) => {
        const response = await attack(
          op,
          (r) => {
            let request = r.set(bearer('agency'));
            if (type !== '') request = request.set('Content-Type', type);
            if (coding !== '') request = request.set('Content-Encoding', coding);
            return rawBody(request, content);
          },
          `/v1/attachments?name=${percentEncode(name)}`,
        );
        if (response.status < 400) {
          accepted();
          expect(response.status).toBe(201);
        }
      }),
    );
  }, 480_000);

  it('answers hostile bearer tokens and request ids on every route with 401 problem+json or an answer, never a 5xx', async () => {
    const tokenArb = fc.oneof(hostileString.filter((s) => /^[\t\x20-\x7e]*$/.test(s)), fc.constantFrom('e30.e30.', 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c', '...', 'Bearer'));
    await forEachOperation(operations, (op) =>
      fc.asyncProperty(tokenArb, fc.constantFrom(...EDGE_STRINGS.filter((s) => /^[\t\x20-\x7e]*$/.test(s))), async (token, requestId) => {
        const path = pathOf(op);
        const response = await t.http[op.method](path).set('Authorization', `Bearer ${token}`).set('X-Request-Id', requestId);
        expectClean(response, op);
        // 431: a generated token can be longer than the whole header limit.
        if (op.role) expect([401, 431]).toContain(response.status);
      }),
      10,
    );
  }, 240_000);

  it('answers a URL or a header beyond the server limit with a 4xx problem+json, not a bare socket error', async () => {
    const op = operations.find((o) => o.name === 'GET /v1/agency/messages')!;
    const longUrl = await t.http.get(`/v1/agency/messages?cursor=${'x'.repeat(20_000)}`).set(bearer('agency'));
    expect(longUrl.status).toBe(431);
    expectClean(longUrl, op);
    const longHeader = await t.http.get('/v1/agency/messages').set(bearer('agency')).set('X-Padding', 'x'.repeat(20_000));
    expect(longHeader.status).toBe(431);
    expectClean(longHeader, op);
  });
});
