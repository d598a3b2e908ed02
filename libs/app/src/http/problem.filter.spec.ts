import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestLine, requestScopeMiddleware } from '../process/request-scope';
import { ProblemFilter, isDecodingError } from './problem.filter';

const decodeFailure = (code: string) => Object.assign(new Error('decoding failed'), { code });

describe('ProblemFilter: bodies that do not decode under their Content-Encoding', () => {
  const filter = new ProblemFilter();

  it('answers 400 undecodable-body for the errors of gzip, deflate, brotli and zstd (Node 22 decodes zstd), never a 500', () => {
    for (const code of ['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR__ERROR_FORMAT_PADDING_1', 'ERR_BROTLI_DECOMPRESSION_FAILED', 'ZSTD_error_prefix_unknown', 'ZSTD_error_srcSize_wrong']) {
      const { body } = filter.toProblem(decodeFailure(code));
      expect({ code, status: body.status, type: body.type }).toEqual({ code, status: 400, type: 'urn:asiointitili:problem:undecodable-body' });
    }
  });

  it('does not take other coded errors for decoding errors', () => {
    expect(isDecodingError('ECONNRESET')).toBe(false);
    expect(isDecodingError(undefined)).toBe(false);
    expect(filter.toProblem(decodeFailure('ECONNRESET')).body.status).not.toBe(400);
  });
});

describe('ProblemFilter: a store that is unavailable just now', () => {
  const filter = new ProblemFilter();
  class MongoServerSelectionError extends Error {}

  it('answers 503 store-unavailable with Retry-After, not 500, when the event log or the read store is down', () => {
    const failures = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new Error('Connection terminated unexpectedly'),
      new MongoServerSelectionError('Server selection timed out after 2000 ms'),
      new Error('read models', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }),
    ];
    for (const failure of failures) {
      const { body, headers } = filter.toProblem(failure);
      expect({ message: failure.message, status: body.status, type: body.type, retryAfter: headers['Retry-After'] }).toEqual({
        message: failure.message,
        status: 503,
        type: 'urn:asiointitili:problem:store-unavailable',
        retryAfter: '5',
      });
    }
  });

  it('keeps a bug a 500 that reveals nothing', () => {
    const { body, headers } = filter.toProblem(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(body.status).toBe(500);
    expect(body.detail).not.toContain('undefined');
    expect(headers).toEqual({});
  });

  it('logs a 500 as a line about its request, so the line carries the request id the client was answered', () => {
    const request = { headers: {} } as unknown as Request;
    const answered: Record<string, string> = {};
    requestScopeMiddleware(request, { setHeader: (name: string, value: string) => (answered[name] = value) } as unknown as Response, (() => undefined) as NextFunction);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      filter.toProblem(new TypeError('boom'), request);
      const [line] = logged.mock.calls[0]!;
      expect(line).toBeInstanceOf(RequestLine);
      expect((line as RequestLine).scope?.requestId).toBe(answered['X-Request-Id']);
    } finally {
      logged.mockRestore();
    }
  });
});
