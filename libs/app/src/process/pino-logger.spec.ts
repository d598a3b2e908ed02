import { Writable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { PinoLoggerService, createPinoLogger, logFormatOf } from './pino-logger';
import { requestScopeMiddleware } from './request-scope';

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

/** Serves a fake request through the scope middleware and runs `inside` within it. */
function withinRequest(headers: Record<string, string>, inside: () => void): { response: Record<string, string>; request: Request } {
  const request = { headers: { ...headers } } as unknown as Request;
  const response: Record<string, string> = {};
  requestScopeMiddleware(request, { setHeader: (name: string, value: string) => (response[name] = value) } as unknown as Response, inside as NextFunction);
  return { response, request };
}

describe('the process log (pino)', () => {
  it('writes JSON lines in production and readable lines in development, unless LOG_FORMAT says otherwise', () => {
    expect(logFormatOf({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormatOf({})).toBe('pretty');
    expect(logFormatOf({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
  });

  it('gives every line written while serving a request its request id and correlation id', () => {
    const out = capture();
    const logger = new PinoLoggerService(createPinoLogger('json', out.stream));
    logger.log('outside any request', 'Boot');
    const { response } = withinRequest({ 'x-request-id': 'agency-req-42' }, () => {
      logger.log('sending', 'Send');
      logger.warn('slow store', 'Store');
    });
    const [outside, first, second] = out.lines();
    expect(outside).toMatchObject({ level: 'info', context: 'Boot', msg: 'outside any request' });
    expect(outside).not.toHaveProperty('requestId');
    expect(first).toMatchObject({ level: 'info', context: 'Send', msg: 'sending', requestId: response['X-Request-Id'], correlationId: 'agency-req-42' });
    expect(second).toMatchObject({ level: 'warn', requestId: response['X-Request-Id'], correlationId: 'agency-req-42' });
    expect(typeof first!.time).toBe('string');
  });

  it('uses the request id as the correlation id when the caller sent none or an insane one, and hands it on as X-Request-Id', () => {
    const out = capture();
    const logger = new PinoLoggerService(createPinoLogger('json', out.stream));
    const { response, request } = withinRequest({ 'x-request-id': 'not sane\n{"forged":1}' }, () => logger.log('x'));
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
