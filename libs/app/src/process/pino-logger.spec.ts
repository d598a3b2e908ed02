import { Writable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { PinoLoggerService, createPinoLogger, logFormatOf } from './pino-logger';
import { requestLine, requestScopeMiddleware } from './request-scope';

function capture(): { stream: Writable & { write(line: string): boolean }; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Serves a fake request through the scope middleware, then runs `inside` with it. */
function withinRequest(headers: Record<string, string>, inside: (request: Request) => void): { response: Record<string, string>; request: Request } {
  const request = { headers: { ...headers } } as unknown as Request;
  const response: Record<string, string> = {};
  requestScopeMiddleware(request, { setHeader: (name: string, value: string) => (response[name] = value) } as unknown as Response, (() => inside(request)) as NextFunction);
  return { response, request };
}

describe('the process log (pino)', () => {
  it('writes JSON lines in production and readable lines in development, unless LOG_FORMAT says otherwise', () => {
    expect(logFormatOf({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormatOf({})).toBe('pretty');
    expect(logFormatOf({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
  });

  it('gives a line about a request that request\'s id and correlation id, and a line about no request neither', () => {
    const out = capture();
    const logger = new PinoLoggerService(createPinoLogger('json', out.stream));
    logger.log('outside any request', 'Boot');
    const { response } = withinRequest({ 'x-request-id': 'agency-req-42' }, (request) => {
      logger.log(requestLine(request, 'sending'), 'Send');
      logger.warn(requestLine(request, 'slow store'), 'Store');
      logger.error(requestLine(request, 'failed'), 'Error: at x', 'Problem');
    });
    const [outside, first, second, third] = out.lines();
    expect(outside).toMatchObject({ level: 'info', context: 'Boot', msg: 'outside any request' });
    expect(outside).not.toHaveProperty('requestId');
    expect(first).toMatchObject({ level: 'info', context: 'Send', msg: 'sending', requestId: response['X-Request-Id'], correlationId: 'agency-req-42' });
    expect(second).toMatchObject({ level: 'warn', msg: 'slow store', requestId: response['X-Request-Id'], correlationId: 'agency-req-42' });
    expect(third).toMatchObject({ level: 'error', context: 'Problem', msg: 'failed', stack: 'Error: at x', requestId: response['X-Request-Id'] });
    expect(typeof first!.time).toBe('string');
  });

  it('prints a line about a request as its text through any other logger', () => {
    withinRequest({}, (request) => expect(`${requestLine(request, 'upload refused')}`).toBe('upload refused'));
  });

  it('uses the request id as the correlation id when the caller sent none or an insane one, and hands it on as X-Request-Id', () => {
    const out = capture();
    const logger = new PinoLoggerService(createPinoLogger('json', out.stream));
    const { response, request } = withinRequest({ 'x-request-id': 'not sane\n{"forged":1}' }, (served) => logger.log(requestLine(served, 'x')));
    const [line] = out.lines();
    expect(line!.correlationId).toBe(response['X-Request-Id']);
    expect(request.headers['x-request-id']).toBe(response['X-Request-Id']);
  });

  it('masks personal data in every line, messages and stacks alike', () => {
    const out = capture();
    const logger = new PinoLoggerService(createPinoLogger('json', out.stream));
    logger.error('550 mailbox maija@example.fi refused for 131052-308T', 'Error: at +358401234567', 'Notifier');
    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toMatch(/maija@example\.fi|131052-308T|\+358401234567/);
    expect(line).toMatchObject({ level: 'error', context: 'Notifier', msg: '550 mailbox [email] refused for [hetu]', stack: 'Error: at [phone]' });
  });

  it('masks personal data in a record logged as an object', () => {
    const out = capture();
    new PinoLoggerService(createPinoLogger('json', out.stream)).warn({ to: 'maija@example.fi' }, 'Notifier');
    expect(out.lines()[0]).toMatchObject({ level: 'warn', msg: '{"to":"[email]"}' });
  });
});
