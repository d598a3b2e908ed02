import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import pinoPretty from 'pino-pretty';
import { redactPersonalData } from './redacting-logger';
import { RequestLine } from './request-scope';

export type LogFormat = 'json' | 'pretty';

/** JSON lines in production (NODE_ENV=production) or with LOG_FORMAT=json; readable lines otherwise. */
export function logFormatOf(env: Readonly<Record<string, string | undefined>>): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV === 'production' ? 'json' : 'pretty';
}

/**
 * The process log over pino: one line per entry with `time`, `level`, `context`, `msg`, and for a
 * line about a request (a RequestLine, request-scope.ts) its `requestId` and `correlationId`. Every line, whatever wrote it,
 * passes the personal-data mask (redacting-logger.ts) on its way out, as with the console logger
 * before. Writes are synchronous, so the last lines before an exit are not lost.
 */
export function createPinoLogger(format: LogFormat, destination: DestinationStream = pino.destination({ fd: 1, sync: true })): Pino {
  const out: DestinationStream =
    format === 'pretty'
      ? pinoPretty({ sync: true, destination: 1, colorize: false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}' })
      : destination;
  const masked: DestinationStream = { write: (line: string) => out.write(redactPersonalData(line)) };
  return pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    masked,
  );
}

/** Nest's LoggerService over pino (nestjs-pino needs Node 22; this is the part of it we need). */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const [stack, context] = rest.length >= 2 ? rest : [undefined, rest[0]];
    this.pino.error({ context: stringOrUndefined(context), ...scopeOf(message), ...(typeof stack === 'string' && stack ? { stack } : {}) }, text(message));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = stringOrUndefined(rest[rest.length - 1]);
    this.pino[level]({ ...(context ? { context } : {}), ...scopeOf(message) }, text(message));
  }
}

/** The request's ids, when the message is a line about a request. */
function scopeOf(message: unknown): { requestId?: string; correlationId?: string } {
  if (!(message instanceof RequestLine) || !message.scope) return {};
  return { requestId: message.scope.requestId, correlationId: message.scope.correlationId };
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof RequestLine) return message.text;
  if (message instanceof Error) return `${message.name}: ${message.message}`;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
