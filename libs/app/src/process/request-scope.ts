import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The ids a log line about a request carries. */
export interface RequestScope {
  /** This server's id for the request (also answered in X-Request-Id). */
  readonly requestId: string;
  /** The caller's X-Request-Id when it sent a sane one, else the request id: the correlation id of the events the request records. */
  readonly correlationId: string;
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Each request's scope, held by the request itself rather than by an AsyncLocalStorage: on Node
 * 20 and 22 an AsyncLocalStorage turns on the promise hooks, so every promise of the process pays
 * for the propagation — 64 µs of the API's CPU per send, about 7 %, measured side by side with
 * bench/src/send-cpu.js (docs/benchmarks.md). The log lines written about a request take their
 * ids from here (`requestLine`).
 */
const scopes = new WeakMap<object, RequestScope>();

/** The scope the middleware gave this request, if it ran. */
export function requestScopeOf(request: object): RequestScope | undefined {
  return scopes.get(request);
}

/**
 * First middleware of the HTTP app: gives the request its ids. A request without a sane
 * X-Request-Id gets its request id as the header, so the correlation id of the events it records
 * (write/request-context.ts) is the id its log lines carry.
 */
export function requestScopeMiddleware(request: Request, response: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const given = request.headers['x-request-id'];
  const correlationId = typeof given === 'string' && SANE_ID.test(given) ? given : requestId;
  request.headers['x-request-id'] = correlationId;
  response.setHeader('X-Request-Id', requestId);
  scopes.set(request, { requestId, correlationId });
  next();
}

/**
 * A log message about one request: handed to any Nest Logger method in place of the text, it
 * becomes a line with the request's `requestId` and `correlationId` (process/pino-logger.ts).
 * Other loggers print it as its text.
 */
export class RequestLine {
  readonly scope: RequestScope | undefined;

  constructor(
    request: object,
    readonly text: string,
  ) {
    this.scope = requestScopeOf(request);
  }

  toString(): string {
    return this.text;
  }
}

/** `logger.warn(requestLine(request, 'why'))`: the line carries the request's ids. */
export const requestLine = (request: object, text: string): RequestLine => new RequestLine(request, text);
