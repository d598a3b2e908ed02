import { Writable } from 'node:stream';
import type { CliEnv } from '../command';

export interface MemoryEnv {
  readonly env: CliEnv;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

/** A CliEnv whose output stays in memory, for running commands in-process in specs. */
export function memoryEnv(vars: Readonly<Record<string, string | undefined>> = {}): MemoryEnv {
  const out = collector();
  const err = collector();
  return { env: { vars, stdout: out.stream, stderr: err.stream }, stdout: out.text, stderr: err.text };
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
