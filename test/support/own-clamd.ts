import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClamdScanner } from '@asiointitili/app/malware/clamd-scanner';
import { freePort } from './api-process';

/** The EICAR test file (eicar.org): harmless, and detected as malware by every scanner by agreement. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** The name our own signature gives it. */
export const EICAR_SIGNATURE = 'Asiointitili.Test.EICAR.UNOFFICIAL';

const CLAMD_BINARIES = ['/usr/sbin/clamd', '/usr/bin/clamd', '/usr/local/sbin/clamd'];

export interface OwnClamd {
  readonly tcpUrl: string;
  readonly unixUrl: string;
  stop(): Promise<void>;
}

export const clamdBinary = (): string | undefined => CLAMD_BINARIES.find((path) => existsSync(path));

/**
 * A clamd of the test's own, in the foreground on a free port and a private socket, with one
 * signature database the test writes: an extended (.ndb) signature for the EICAR string at any
 * offset, so it is found inside other files too. No network, no freshclam: production keeps its
 * own clamd with freshclam's databases.
 */
export async function startOwnClamd(): Promise<OwnClamd> {
  const binary = clamdBinary();
  if (!binary) throw new Error('clamd is not installed (apt-get install clamav-daemon)');
  const dir = mkdtempSync(join(tmpdir(), 'clamd-'));
  const db = join(dir, 'db');
  mkdirSync(db);
  mkdirSync(join(dir, 'tmp'));
  // Name:TargetType(0 = any file):Offset(* = anywhere):HexSignature
  writeFileSync(join(db, 'asiointitili-test.ndb'), `Asiointitili.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  const port = await freePort();
  const socket = join(dir, 'clamd.sock');
  const config = join(dir, 'clamd.conf');
  writeFileSync(
    config,
    [
      'Foreground yes',
      `DatabaseDirectory ${db}`,
      `LocalSocket ${socket}`,
      'TCPAddr 127.0.0.1',
      `TCPSocket ${port}`,
      `TemporaryDirectory ${join(dir, 'tmp')}`,
      `LogFile ${join(dir, 'clamd.log')}`,
      'StreamMaxLength 20M',
      'MaxThreads 4',
      'Bytecode no',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['--config-file', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const tcpUrl = `tcp://127.0.0.1:${port}`;
  const scanner = new ClamdScanner({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 2000 });
  const deadline = Date.now() + 60_000;
  while (!(await scanner.reachable())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'clamd.log')) ? readFileSync(join(dir, 'clamd.log'), 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`clamd did not start: ${output.slice(-2000)} ${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    tcpUrl,
    unixUrl: `unix://${socket}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
