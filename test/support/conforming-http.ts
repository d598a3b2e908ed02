import type { Server } from 'node:http';
import request from 'supertest';
import { conformanceFor, type OpenApiConformance } from './openapi-conformance';

type Http = ReturnType<typeof request>;
type Callback = (error: Error | null, response: request.Response) => void;
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'del']);

/**
 * supertest over the app, with every answer checked against the OpenAPI document the app serves
 * (openapi-conformance.ts): a request whose answer does not conform fails with the difference,
 * after the test's own expectations (a wrong status is reported as such first).
 */
export async function conformingHttp(server: Server): Promise<{ http: Http; conformance: OpenApiConformance }> {
  const plain = request(server);
  const document = await plain.get('/docs/openapi.json');
  if (document.status !== 200) throw new Error(`GET /docs/openapi.json answered ${document.status}`);
  const conformance = conformanceFor(document.text);
  const http = new Proxy(plain, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !METHODS.has(property) || typeof original !== 'function') return original;
      return (...args: unknown[]) => checked((original as (...a: unknown[]) => request.Test).apply(target, args), conformance);
    },
  });
  return { http, conformance };
}

function checked(test: request.Test, conformance: OpenApiConformance): request.Test {
  const end = test.end.bind(test) as (callback: Callback) => request.Test;
  (test as unknown as { end: (callback?: Callback) => request.Test }).end = (callback?: Callback) =>
    end((error, response) => {
      let failure = error;
      if (!failure && response) {
        try {
          const req = (response as unknown as { req: { method: string; path: string } }).req;
          conformance.check({ method: req.method, path: req.path, status: response.status, headers: response.headers as Record<string, string>, text: textOf(response) });
        } catch (violation) {
          failure = violation as Error;
        }
      }
      callback?.(failure, response);
    });
  return test;
}

function textOf(response: request.Response): string | undefined {
  if (typeof response.text === 'string') return response.text;
  if (Buffer.isBuffer(response.body)) return response.body.toString('utf8'); // a suite's own binary parser
  if (response.body !== undefined && response.body !== null && !Buffer.isBuffer(response.body) && typeof response.body === 'object' && Object.keys(response.body as object).length > 0) {
    return JSON.stringify(response.body);
  }
  return undefined;
}
