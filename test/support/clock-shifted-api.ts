import type { ApiProcess } from './api-process';

/**
 * Plain calls for the clock-shifted suites (faketime): a server started with startApi, answers
 * parsed but not judged, so each suite asserts the statuses itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(api: ApiProcess, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Retries an assertion every 100 ms until it passes or `timeoutMs` is over (a restarted server catches up first). */
export async function eventually<T>(assertion: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
