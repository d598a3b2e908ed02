/**
 * CPU time of one inbox read, in process: a citizen with MESSAGES messages of BODY_BYTES-character
 * bodies, READS reads of the first inbox page (GET /v1/citizen/messages, 50 items) one after the
 * other against the whole app on a temporary DATA_DIR (embedded stores), each timed with
 * process.cpuUsage() (user + system; the HTTP client's share is in it too, the same on every run).
 *
 *   node scripts/built.js dist/bench/src/inbox-read-cpu.js   (MESSAGES=200 BODY_BYTES=4000 READS=2000)
 *
 * Prints one JSON line: the median, p90 and mean CPU µs per read and the read's response size.
 */
import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp, loadConfig, openRuntime } from '@asiointitili/app';
import { TokenService } from '../../libs/app/src/auth/token-service';
import { startWorker } from '../../apps/worker/src/worker';

const MESSAGES = Number(process.env.MESSAGES ?? 200);
const BODY_BYTES = Number(process.env.BODY_BYTES ?? 4000);
const READS = Number(process.env.READS ?? 2000);
const HETU = '131052-308T';

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'inbox-read-cpu-'));
  const env = { DATA_DIR: dataDir };
  const runtime = await openRuntime(loadConfig(env), { env });
  const worker = await startWorker(runtime);
  const app = await createHttpApp(runtime, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const tokens = app.get(TokenService);
  const admin = await tokens.mint({ role: 'admin' });
  const agency = await tokens.mint({ role: 'agency', agency: 'kela' });
  const citizen = await tokens.mint({ role: 'citizen', hetu: HETU });
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<Response> => {
    const answer = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return answer;
  };
  try {
    await call('POST', '/v1/admin/agencies', admin, { id: 'kela', name: 'Kela', businessId: '0737546-2' });
    await call('POST', '/v1/citizen/account', citizen, { language: 'fi' });
    await call('PUT', '/v1/citizen/consents/kela', citizen);
    const body = 'Päätös. '.repeat(Math.ceil(BODY_BYTES / 8)).slice(0, BODY_BYTES);
    for (let i = 0; i < MESSAGES; i++) {
      await call('POST', '/v1/agency/messages', agency, { recipient: { hetu: HETU }, kind: 'decision', delivery: i % 2 ? 'registered' : 'ordinary', subject: `Päätös ${i}`, body, replyAllowed: false });
    }
    // Until the inbox shows every message (the projections run beside the requests).
    for (;;) {
      const page = (await (await call('GET', '/v1/citizen/messages?limit=1000', citizen)).json()) as { items: unknown[] };
      if (page.items.length >= MESSAGES) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    let bytes = 0;
    for (let i = 0; i < 200; i++) bytes = (await (await call('GET', '/v1/citizen/messages', citizen)).text()).length; // warm-up
    const samples: number[] = [];
    for (let i = 0; i < READS; i++) {
      const before = process.cpuUsage();
      await (await call('GET', '/v1/citizen/messages', citizen)).text();
      const used = process.cpuUsage(before);
      samples.push(used.user + used.system);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    console.log(JSON.stringify({ messages: MESSAGES, bodyBytes: BODY_BYTES, reads: READS, responseBytes: bytes, cpuUsPerReadMedian: at(0.5), cpuUsPerReadP90: at(0.9), cpuUsPerReadMean: Math.round(mean) }));
  } finally {
    await app.close();
    await worker.stop();
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
