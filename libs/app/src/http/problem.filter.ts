import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { EventTooLargeError, InvalidCursorError } from '@asiointitili/core';
import type { DomainErrorKind } from '@asiointitili/domain';
import { DomainRejection, ContentionError } from '../write/domain-rejection';
import { isTransient } from '../followers/failures';
import { requestLine } from '../process/request-scope';
import { PROBLEM_CONTENT_TYPE, ProblemException, problem, type FieldProblem, type Problem } from './problem';

const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = { 'not-found': 404, conflict: 409, forbidden: 403, invalid: 422 };

/**
 * Every error leaves the API as problem+json. Known failures keep their status; anything else is
 * a 500 whose detail reveals nothing (the log has the cause, without request content).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const { body, headers } = this.toProblem(exception, http.getRequest<object | undefined>());
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  /** `request`, when known, gives the log line of a 503 or 500 the request's ids. */
  toProblem(exception: unknown, request?: object): { body: Problem; headers: Record<string, string> } {
    if (exception instanceof ProblemException) return { body: exception.problem, headers: { ...exception.headers } };
    if (exception instanceof DomainRejection) {
      const { kind, code, detail } = exception.error;
      return { body: problem(STATUS_OF_KIND[kind], code, detail), headers: {} };
    }
    if (exception instanceof InvalidCursorError) {
      return { body: problem(400, 'invalid-cursor', 'The cursor is not one this list issued.', { errors: [{ field: 'cursor', problem: 'invalid' }] }), headers: {} };
    }
    if (exception instanceof EventTooLargeError) {
      return { body: problem(413, 'event-too-large', `The change would record an event of ${exception.bytes} bytes; the limit is ${exception.limit} bytes.`), headers: {} };
    }
    if (exception instanceof ContentionError) {
      return { body: problem(409, 'contention', 'The resource changed concurrently too many times; retry the request.'), headers: { 'Retry-After': '1' } };
    }
    const bodyParserError = asBodyParserError(exception);
    if (bodyParserError) return { body: bodyParserError, headers: {} };
    if (exception instanceof HttpException) return { body: fromHttpException(exception), headers: {} };
    if (isTransient(exception)) {
      // A store or the network is unavailable just now (the event log or the read store is down or
      // failing over). Nothing was acknowledged, so the client may safely retry the same request:
      // writes are idempotent by their deterministic event ids. 503, not 500: the request was fine.
      this.logger.warn(this.line(request, `store unavailable: ${exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception)}`));
      return { body: problem(503, 'store-unavailable', 'A store the service depends on is unavailable just now; retry the request after Retry-After seconds.'), headers: { 'Retry-After': '5' } };
    }
    this.logger.error(this.line(request, exception instanceof Error ? `${exception.name}: ${exception.message}\n${exception.stack ?? ''}` : 'non-error thrown'));
    return { body: problem(500, 'internal', 'An unexpected error occurred. It has been logged.'), headers: {} };
  }

  private line(request: object | undefined, text: string): string | ReturnType<typeof requestLine> {
    return request ? requestLine(request, text) : text;
  }
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const codes: Record<number, string> = { 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed', 413: 'payload-too-large', 415: 'unsupported-media-type', 429: 'rate-limited' };
  let detail = exception.message;
  let errors: FieldProblem[] | undefined;
  if (typeof response === 'object' && response !== null) {
    const r = response as { message?: unknown; errors?: unknown };
    if (Array.isArray(r.errors)) errors = r.errors as FieldProblem[];
    if (typeof r.message === 'string') detail = r.message;
    else if (Array.isArray(r.message)) detail = r.message.join('; ');
  }
  return problem(status, codes[status] ?? 'error', detail, errors ? { errors } : {});
}

/** Whether an error code is one of the decompressors' own: the body does not decode under its Content-Encoding. */
export function isDecodingError(code: unknown): boolean {
  return typeof code === 'string' && /^(Z_|ZSTD_|ERR__|ERR_BROTLI|ERR_ZLIB|ERR_ZSTD)/.test(code);
}

/** body-parser reports oversized and malformed bodies as errors with a `type` and a `status`. */
function asBodyParserError(exception: unknown): Problem | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const e = exception as { type?: unknown; status?: unknown; limit?: unknown; code?: unknown };
  // zlib's, brotli's and zstd's errors (Z_DATA_ERROR, Z_BUF_ERROR, ERR__ERROR_FORMAT_…, and on Node 22,
  // whose zlib has zstd and whose body-parser then decodes it, ZSTD_error_prefix_unknown…) while
  // body-parser inflates a gzip, deflate, br or zstd body.
  if (isDecodingError(e.code)) {
    return problem(400, 'undecodable-body', 'The request body cannot be decoded under its Content-Encoding.');
  }
  switch (e.type) {
    case 'entity.too.large':
      return problem(413, 'payload-too-large', `The request body is larger than ${String(e.limit)} bytes.`);
    case 'entity.parse.failed':
      return problem(400, 'malformed-json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported-media-type', 'The request body encoding is not supported.');
    case 'request.aborted':
      return problem(400, 'request-aborted', 'The request was aborted by the client.');
    default:
      return null;
  }
}
