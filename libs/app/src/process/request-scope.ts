import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The ids every log line written while serving a request carries. */
export interface RequestScope {
  /** This server's id for the request (also answered in X-Request-Id). */
  readonly requestId: string;
  /** The caller's X-Request-Id when it sent a sane one, else the request id: the correlation id of the events the request records. */
  readonly correlationId: string;
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const scope = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being served, if any (for the logger). */
export function currentRequestScope(): RequestScope | undefined {
  return scope.getStore();
}

/**
 * First middleware of the HTTP app: gives the request its ids and serves it inside them. A
 * request without a sane X-Request-Id gets its request id as the header, so the correlation id
 * of the events it records (write/request-context.ts) is the id its log lines carry.
 */
export function requestScopeMiddleware(request: Request, response: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const given = request.headers['x-request-id'];
  const correlationId = typeof given === 'string' && SANE_ID.test(given) ? given : requestId;
  request.headers['x-request-id'] = correlationId;
  response.setHeader('X-Request-Id', requestId);
  scope.run({ requestId, correlationId }, next);
}
