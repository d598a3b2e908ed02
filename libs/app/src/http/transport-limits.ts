import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

/**
 * Time limits for slow clients, and a cap on connections per client address (docs/security.md,
 * "Slow clients"). A client that trickles its headers or body holds a socket and the memory of a
 * half-read request; these bound how long, per route class:
 *
 * - headers: `headersTimeout` of the whole request head (Node answers 408, as problem+json via
 *   client-errors.ts), checked every second rather than Node's default 30 s;
 * - JSON bodies: the whole body within `jsonBodyMs` of the head;
 * - uploads (`POST /v1/attachments`, up to 10 MiB): within `uploadBodyMs`;
 * - Node's `requestTimeout` is the backstop for anything else (the upload limit plus a margin).
 *
 * A body that is late gets 408 `request-timeout` problem+json with `Connection: close`, and the
 * request is then destroyed, so whatever was reading it (the JSON parser, an upload into the blob
 * store) fails and keeps nothing.
 */
export interface TransportLimits {
  readonly headersTimeoutMs: number;
  readonly jsonBodyTimeoutMs: number;
  readonly uploadBodyTimeoutMs: number;
  /** Open connections one client address may hold; 0: no cap (behind a proxy, whose address every connection has). */
  readonly maxConnectionsPerAddress: number;
}

const UPLOAD_PATH = '/v1/attachments';

export function isUploadRequest(request: Pick<Request, 'method' | 'path'>): boolean {
  return request.method === 'POST' && request.path === UPLOAD_PATH;
}

/** Sets Node's own limits on the server; call before it listens. */
export function limitServer(server: Server, limits: TransportLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  // Node checks headersTimeout and requestTimeout on this interval (default 30 s): a 10 s limit would hold up to 40 s.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
  server.requestTimeout = Math.max(limits.uploadBodyTimeoutMs, limits.jsonBodyTimeoutMs) + limits.headersTimeoutMs + 5_000;
  if (limits.maxConnectionsPerAddress > 0) capConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
}

/** Beyond `max` open connections from one address, a new one is closed at once (before any byte is read). */
function capConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** Express middleware: a body that has not fully arrived in time for its route class is answered 408 and dropped. */
export function bodyDeadline(limits: TransportLimits) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || request.complete) return next();
    const ms = isUploadRequest(request) ? limits.uploadBodyTimeoutMs : limits.jsonBodyTimeoutMs;
    const timer = setTimeout(() => {
      if (request.complete) return;
      if (!response.headersSent) {
        const seconds = Math.round(ms / 1000);
        response
          .status(408)
          .set('Connection', 'close')
          .type(PROBLEM_CONTENT_TYPE)
          .send(JSON.stringify(problem(408, 'request-timeout', `The request body did not arrive within ${seconds} s.`)));
      }
      // Ends the reading side: the parser or the upload fails, nothing is kept; the answer above is already on its way.
      response.once('finish', () => request.destroy());
      if (response.writableFinished) request.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    request.once('end', clear);
    request.once('close', clear);
    response.once('close', clear);
    next();
  };
}
