import { BUSINESS_ID, decision } from './fixtures';
import { conformanceFor, type OpenApiConformance } from './openapi-conformance';
import { eventually } from './test-app';

/**
 * A few calls of the public API over real HTTP (fetch), for suites that drive a server in a child
 * process. Every helper throws with the status and body when the answer is not the expected one,
 * and every answer is checked against the OpenAPI document the server serves (openapi-conformance.ts).
 */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> | null;
}

export async function call(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  (await conformanceOf(baseUrl))?.check({ method, path, status: response.status, headers: Object.fromEntries(response.headers), text });
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

const documents = new Map<string, Promise<OpenApiConformance | null>>();

/**
 * The checker for the document a server serves, fetched once per base URL; null for a worker's
 * probe port (WORKER_HEALTH_PORT), which serves /health and /metrics and no API, so no document.
 */
function conformanceOf(baseUrl: string): Promise<OpenApiConformance | null> {
  let checker = documents.get(baseUrl);
  if (!checker) {
    checker = fetch(`${baseUrl}/docs/openapi.json`).then(async (answer) => {
      if (answer.status === 404 && (await fetch(`${baseUrl}/health/live`)).ok && (await fetch(`${baseUrl}/v1/keys`)).status === 404) return null;
      if (!answer.ok) throw new Error(`GET ${baseUrl}/docs/openapi.json answered ${answer.status}`);
      return conformanceFor(await answer.text());
    });
    checker.catch(() => documents.delete(baseUrl));
    documents.set(baseUrl, checker);
  }
  return checker;
}

export async function expectStatus(answer: Promise<ApiAnswer>, status: number, what: string): Promise<ApiAnswer> {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.body)}`);
  return got;
}

export async function registerAgencyOver(baseUrl: string, adminToken: string, id: string): Promise<void> {
  await expectStatus(call(baseUrl, 'POST', '/v1/admin/agencies', adminToken, { id, name: `Agency ${id}`, businessId: BUSINESS_ID }), 201, `register ${id}`);
}

export async function openAccountOver(baseUrl: string, citizenToken: string, agencyId: string, extra: Record<string, unknown> = {}): Promise<void> {
  await expectStatus(call(baseUrl, 'POST', '/v1/citizen/account', citizenToken, { language: 'fi', ...extra }), 201, 'open account');
  await expectStatus(call(baseUrl, 'PUT', `/v1/citizen/consents/${agencyId}`, citizenToken), 200, 'consent');
}

export function sendOver(baseUrl: string, agencyToken: string, hetu: string, overrides: Record<string, unknown> = {}): Promise<ApiAnswer> {
  return call(baseUrl, 'POST', '/v1/agency/messages', agencyToken, decision(hetu, overrides));
}

/** Every item of a cursor-paged list. */
export async function allPages<T>(baseUrl: string, path: string, token: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await expectStatus(
      call(baseUrl, 'GET', `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token),
      200,
      `list ${path}`,
    );
    items.push(...(page.body!.items as T[]));
    cursor = page.body!.next as string | null;
  } while (cursor);
  return items;
}

export async function auditReport(baseUrl: string, auditorToken: string): Promise<{ ok: boolean; events: number; streams: number }> {
  const answer = await expectStatus(call(baseUrl, 'GET', '/v1/audit/verify', auditorToken), 200, 'audit verify');
  return answer.body as { ok: boolean; events: number; streams: number };
}

/** Waits until the read models have caught up with the log (GET /health). */
export async function projectionsCaughtUp(baseUrl: string, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => {
    const health = await call(baseUrl, 'GET', '/health');
    if (health.body?.headPosition !== health.body?.projectionCheckpoint) throw new Error(`projections behind: ${JSON.stringify(health.body)}`);
  }, timeoutMs);
}

/**
 * Caught up and quiet: the process managers (print hand-offs, arrival notices) append events of
 * their own after a send, so "caught up" once is not "done". Waits until the head has not moved
 * for `quietMs` and the projections have reached it.
 */
export async function logSettled(baseUrl: string, quietMs = 500, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    await projectionsCaughtUp(baseUrl, Math.max(deadline - Date.now(), 1));
    const head = (await call(baseUrl, 'GET', '/health')).body?.headPosition;
    if (head === last) return;
    if (Date.now() > deadline) throw new Error('the log did not settle');
    last = head;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}
