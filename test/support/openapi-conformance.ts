import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Conformance of answers to the OpenAPI document the server itself serves (/docs/openapi.json).
 * Every end-to-end request made through the shared support (test-app's `http`, api-client's
 * `call`) is checked here, so the document cannot drift from what the code answers:
 *
 * - the path and method must be a documented operation (4xx/5xx on unknown routes must still be
 *   a Problem), and the status must be one of its documented responses;
 * - the Content-Type must be one the response documents, and a JSON body must validate against
 *   its schema (ajv, OpenAPI 3.0 `nullable` read as JSON Schema's null type), with no member the
 *   schema does not name (unless it sets additionalProperties);
 * - headers the response marks `required` (e.g. Retry-After on 429/503) must be present.
 *
 * A violation fails the request that received the answer, naming the operation and what differs.
 */
export interface Answer {
  readonly method: string;
  /** The request path, with or without its query string. */
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text, when it is text (JSON, problem+json, plain text); undefined for binary bodies. */
  readonly text: string | undefined;
}

interface OperationMatch {
  readonly template: string;
  readonly operation: Operation | undefined;
}

interface Operation {
  readonly responses: Record<string, ResponseObject>;
}

interface ResponseObject {
  readonly content?: Record<string, { readonly schema?: unknown }>;
  readonly headers?: Record<string, { readonly required?: boolean }>;
}

/** The API's own paths; the rest (the web inbox's pages and sign-in, the document and its UI) are not operations of the contract. */
const API_PREFIXES = ['/v1', '/health', '/metrics'];
/** Protocol-level answers (CORS preflights, HEAD) are the HTTP stack's, not operations of the API. */
const UNCHECKED_METHODS = new Set(['OPTIONS', 'HEAD']);
const DOC_ID = 'openapi.json';

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly routes: { template: string; pattern: RegExp; literal: number; item: Record<string, Operation> }[];
  private readonly validators = new Map<string, ValidateFunction>();
  /** Answers checked so far (for a suite that wants to show coverage). */
  checked = 0;

  constructor(private readonly document: { paths: Record<string, Record<string, Operation>>; components?: unknown }) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    const converted = toJsonSchema(document) as { components?: unknown };
    this.ajv.addSchema({ $id: DOC_ID, components: converted.components }, DOC_ID);
    this.routes = Object.entries(document.paths)
      .map(([template, item]) => ({
        template,
        pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
        // More literal characters first: /v1/agency/messages/bulk before /v1/agency/messages/{id}.
        literal: template.replace(/\{[^}]+\}/g, '').length,
        item,
      }))
      .sort((a, b) => b.literal - a.literal);
  }

  /** The violations of one answer (empty when it conforms). */
  violations(answer: Answer): string[] {
    const method = answer.method.toUpperCase();
    if (UNCHECKED_METHODS.has(method)) return [];
    // Express routes are not strict: /v1/citizen/messages/ is /v1/citizen/messages.
    const pathname = answer.path.split('?')[0]!.replace(/(.)\/$/, '$1');
    if (!API_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return [];
    this.checked++;
    const match = this.operationOf(method, pathname);
    const what = match ? `${method} ${match.template}` : `${method} ${pathname}`;
    if (!match?.operation) {
      // Not an operation of the API: only an error answer is acceptable, and it must be a Problem.
      if (answer.status < 400) return [`${what}: answered ${answer.status} but the document has no such operation`];
      return this.bodyViolations(`${what} → ${answer.status}`, answer, { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }, `problem ${answer.status}`);
    }
    const response = match.operation.responses[String(answer.status)] ?? match.operation.responses.default;
    if (!response) {
      return [`${what}: answered ${answer.status}, which the document does not list (documented: ${Object.keys(match.operation.responses).join(', ')})`];
    }
    return [
      ...this.bodyViolations(`${what} → ${answer.status}`, answer, response, `${method} ${match.template} ${answer.status}`),
      ...Object.entries(response.headers ?? {})
        .filter(([name, header]) => header.required && answer.headers[name.toLowerCase()] === undefined)
        .map(([name]) => `${what} → ${answer.status}: the required header ${name} is missing`),
    ];
  }

  /** Throws a ContractViolation naming every difference of the answer from the document. */
  check(answer: Answer): void {
    const found = this.violations(answer);
    if (found.length > 0) throw new ContractViolation(`the answer does not conform to the OpenAPI document:\n  ${found.join('\n  ')}`);
  }

  private operationOf(method: string, pathname: string): OperationMatch | undefined {
    const route = this.routes.find((candidate) => candidate.pattern.test(pathname) && candidate.item[method.toLowerCase()] !== undefined)
      ?? this.routes.find((candidate) => candidate.pattern.test(pathname));
    return route ? { template: route.template, operation: route.item[method.toLowerCase()] } : undefined;
  }

  private bodyViolations(what: string, answer: Answer, response: ResponseObject, key: string): string[] {
    const contentType = headerValue(answer.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
    const content = response.content;
    const hasBody = answer.text !== undefined ? answer.text.length > 0 : contentType !== undefined;
    if (!content || Object.keys(content).length === 0) {
      return hasBody ? [`${what}: has a body (${contentType ?? 'no type'}) but the document declares none`] : [];
    }
    if (!contentType) return [`${what}: has no Content-Type; the document declares ${Object.keys(content).join(', ')}`];
    const mediaType = Object.keys(content).find((declared) => mediaTypeMatches(declared, contentType));
    if (!mediaType) return [`${what}: Content-Type ${contentType} is not among the documented ${Object.keys(content).join(', ')}`];
    const schema = content[mediaType]?.schema;
    if (!schema || !isJson(contentType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.text ?? '');
    } catch {
      return [`${what}: the ${contentType} body is not JSON`];
    }
    const validate = this.validatorFor(`${key} ${mediaType}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${what}: body${error.instancePath || ''} ${error.message ?? 'is invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/**
 * An OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes a union with null, and
 * component references point into the document registered with ajv.
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = `${DOC_ID}${value}`;
    else if (key !== 'nullable' && key !== 'example' && key !== 'examples') out[key] = toJsonSchema(value);
  }
  // A member the document does not name is drift too: objects with named members allow no others
  // unless the document says so (the Problem schema allows extensions; free-form objects name none).
  if (typeof out.properties === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  if ((node as { nullable?: unknown }).nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function mediaTypeMatches(declared: string, actual: string): boolean {
  if (declared === '*/*') return true;
  if (declared.endsWith('/*')) return actual.startsWith(declared.slice(0, -1));
  return declared.toLowerCase() === actual;
}

function isJson(contentType: string): boolean {
  return /^application\/([a-z.+-]*\+)?json$/.test(contentType);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------- one checker per document

const checkers = new Map<string, OpenApiConformance>();

/** The checker for a document (compiled schemas are shared by every app serving the same document). */
export function conformanceFor(documentText: string): OpenApiConformance {
  let checker = checkers.get(documentText);
  if (!checker) {
    checker = new OpenApiConformance(JSON.parse(documentText) as ConstructorParameters<typeof OpenApiConformance>[0]);
    checkers.set(documentText, checker);
  }
  return checker;
}
