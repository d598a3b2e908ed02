import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { allPages, call, openAccountOver, projectionsCaughtUp, registerAgencyOver, sendOver } from '../support/api-client';
import { testDatabaseName } from '../support/ferretdb';
import { ensureBuilt, freePort, hasLibFaketime, mintToken, startServer, type ServerProcess } from '../support/server-process';
import { serverUrl } from '../support/server-suites';
import { syntheticHetu } from '../support/synthetic-hetu';
import { eventually } from '../support/test-app';

/**
 * Worker fail-over with real processes on one embedded DATA_DIR: an API with WORKER=off and two
 * worker processes (`dist/apps/worker/src/main.js`). Exactly one worker is active (the lease);
 * SIGKILL it under load and the standby takes over; pause one (SIGSTOP) past its lease and let it
 * resume, and the writes it had under way are fenced off. Afterwards every acknowledged message is
 * in the read models once, and every deadline fired once. Prints the fail-over times.
 *
 * The workers run four days ahead (libfaketime), so every ordinary message's deemed service (day
 * 3) is due as soon as the read models have it: the deadline manager fires while the test kills.
 */
const LEASE_TTL_MS = 2000;
const SENDS = 40;
const CITIZENS = 4;
const hetus = Array.from({ length: CITIZENS }, (_, i) => syntheticHetu(100 + i));

const suite = hasLibFaketime() ? describe : describe.skip;
if (!hasLibFaketime()) {
  // eslint-disable-next-line no-console
  console.log('SKIPPED: "worker fail-over" needs libfaketime (apt-get install faketime) to run the workers four days ahead.');
}

interface Fleet {
  readonly dataDir: string;
  readonly api: ServerProcess;
  readonly workers: ServerProcess[];
  readonly agency: string;
  readonly citizens: string[];
}

const processes: ServerProcess[] = [];
const scratch: string[] = [];

async function startWorkerProcess(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  // The worker serves no API; WORKER_HEALTH_PORT gives it probes and /metrics on its baseUrl.
  const port = await freePort();
  const worker = await startServer({
    dataDir,
    port,
    program: 'worker',
    clockOffset: '+4d',
    env: { WORKER_LEASE_TTL_MS: String(LEASE_TTL_MS), DEADLINE_INTERVAL_MS: '200', WORKER_HEALTH_PORT: String(port), ...env },
  });
  processes.push(worker);
  return worker;
}

const isActive = (worker: ServerProcess) => /active worker \(lease "worker" epoch \d+/.test(worker.output());
const activeEpochs = (worker: ServerProcess) => [...worker.output().matchAll(/active worker \(lease "worker" epoch (\d+)/g)].map((m) => Number(m[1]));

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

async function startFleet(env: Record<string, string> = {}): Promise<Fleet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-failover-'));
  scratch.push(dataDir);
  const first = await startWorkerProcess(dataDir, env);
  await until(() => isActive(first), 'the first worker to take the lease');
  const second = await startWorkerProcess(dataDir, env);
  await until(() => /standing by/.test(second.output()), 'the second worker to stand by');
  await eventually(async () => expect((await call(second.baseUrl, 'GET', '/health/live')).status).toBe(200), 10_000);
  const api = await startServer({ dataDir, env: { WORKER: 'off', ...env } });
  processes.push(api);
  const [admin, agency] = await Promise.all([mintToken(dataDir, { role: 'admin' }, env), mintToken(dataDir, { role: 'agency', agency: 'kela' }, env)]);
  await registerAgencyOver(api.baseUrl, admin, 'kela');
  await projectionsCaughtUp(api.baseUrl, 30_000);
  const citizens: string[] = [];
  for (const hetu of hetus) {
    const token = await mintToken(dataDir, { role: 'citizen', hetu }, env);
    await openAccountOver(api.baseUrl, token, 'kela');
    citizens.push(token);
  }
  return { dataDir, api, workers: [first, second], agency, citizens };
}

/** Sends `count` ordinary messages, one after another, calling `midway` once half are acknowledged. */
async function sendMessages(fleet: Fleet, prefix: string, count: number, midway: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    if (n === count / 2) await midway();
    const answer = await sendOver(fleet.api.baseUrl, fleet.agency, hetus[n % CITIZENS]!, { delivery: 'ordinary', externalId: `${prefix}-${n}` }).catch((error: unknown) => {
      throw new Error(`send ${n} failed (${String(error)}); the API's output:\n${fleet.api.output().slice(-4000)}`);
    });
    expect(answer.status).toBe(201);
    ids.push(answer.body?.id as string);
  }
  return ids;
}

/** Every event of the given type in the log, by message id. */
function countsInLog(dataDir: string, type: string): Map<string, number> {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT stream FROM events WHERE type = ?').all(type) as { stream: string }[];
    const counts = new Map<string, number>();
    for (const { stream } of rows) counts.set(stream.replace(/^message-/, ''), (counts.get(stream.replace(/^message-/, '')) ?? 0) + 1);
    return counts;
  } finally {
    db.close();
  }
}

/** Each acknowledged message deemed served exactly once in the log, once in the feed, once in its recipient's inbox. */
async function expectEachOnce(fleet: Fleet, ids: readonly string[]): Promise<void> {
  try {
    await checkEachOnce(fleet, ids);
  } catch (error) {
    // eslint-disable-next-line no-console
    console.log(fleet.workers.map((worker, i) => `--- worker ${i} (pid ${worker.pid}):\n${worker.output().slice(-6000)}`).join('\n'));
    throw error;
  }
}

async function checkEachOnce(fleet: Fleet, ids: readonly string[]): Promise<void> {
  await eventually(async () => {
    const served = countsInLog(fleet.dataDir, 'MessageDeemedServed');
    expect(ids.filter((id) => served.get(id) !== 1)).toEqual([]);
  }, 120_000);
  await projectionsCaughtUp(fleet.api.baseUrl, 30_000);
  expect([...countsInLog(fleet.dataDir, 'MessageDeemedServed').values()].filter((count) => count !== 1)).toEqual([]);
  const feed = await allPages<{ type: string; messageId?: string }>(fleet.api.baseUrl, '/v1/agency/events', fleet.agency);
  for (const type of ['sent', 'deemed-served']) {
    const counts = new Map<string, number>();
    for (const item of feed) if (item.type === type && item.messageId) counts.set(item.messageId, (counts.get(item.messageId) ?? 0) + 1);
    expect({ type, wrong: ids.filter((id) => counts.get(id) !== 1) }).toEqual({ type, wrong: [] });
  }
  const inbox = (await Promise.all(fleet.citizens.map((token) => allPages<{ id: string; deemedServedAt?: string }>(fleet.api.baseUrl, '/v1/citizen/messages', token)))).flat();
  const seen = new Map<string, number>();
  for (const item of inbox) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
  expect(ids.filter((id) => seen.get(id) !== 1)).toEqual([]);
  expect(inbox.filter((item) => ids.includes(item.id) && !item.deemedServedAt).map((item) => item.id)).toEqual([]);
  const ready = await call(fleet.api.baseUrl, 'GET', '/health/ready');
  expect(ready.status).toBe(200);
}

describe('two `npm start` processes on one embedded DATA_DIR', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  afterAll(async () => {
    for (const process_ of processes.splice(0)) await process_.stop(10_000);
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('work the same way as separate workers: one runs the worker, the other serves HTTP from it and takes over on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-two-starts-'));
    scratch.push(dataDir);
    // WORKER=inline: the worker in each API's own process, so each API's /health/ready shows its
    // lease (with the default WORKER=child it lives in the API's child process instead).
    const env = { WORKER: 'inline', WORKER_LEASE_TTL_MS: String(LEASE_TTL_MS) };
    const first = await startServer({ dataDir, env });
    processes.push(first);
    const second = await startServer({ dataDir, env });
    processes.push(second);
    await until(() => isActive(first), 'the first process to be the active worker');
    await until(() => /standing by/.test(second.output()), 'the second process to stand by');
    const ready = await call(second.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body?.followers).toEqual([expect.objectContaining({ name: 'worker-lease', state: 'standby' })]);

    // Through the standby: its writes reach the read models the active process keeps.
    const [admin, agency, citizen] = await Promise.all([
      mintToken(dataDir, { role: 'admin' }),
      mintToken(dataDir, { role: 'agency', agency: 'kela' }),
      mintToken(dataDir, { role: 'citizen', hetu: hetus[0]! }),
    ]);
    await registerAgencyOver(second.baseUrl, admin, 'kela');
    await projectionsCaughtUp(second.baseUrl, 30_000);
    await openAccountOver(second.baseUrl, citizen, 'kela');
    const sent = await sendOver(second.baseUrl, agency, hetus[0]!, { delivery: 'ordinary' });
    expect(sent.status).toBe(201);
    await eventually(async () => expect((await allPages<{ id: string }>(second.baseUrl, '/v1/citizen/messages', citizen)).map((m) => m.id)).toEqual([sent.body?.id]), 30_000);

    const stoppedAt = Date.now();
    expect((await first.stop()).code).toBe(0);
    await until(() => isActive(second), 'the second process to take over');
    const tookOverMs = Date.now() - stoppedAt;
    const late = await sendOver(second.baseUrl, agency, hetus[0]!, { delivery: 'ordinary' });
    await eventually(async () => expect((await allPages<{ id: string }>(second.baseUrl, '/v1/citizen/messages', citizen)).map((m) => m.id).sort()).toEqual([sent.body?.id, late.body?.id].sort()), 30_000);
    // eslint-disable-next-line no-console
    console.log(`two processes on one DATA_DIR: the standby took over ${tookOverMs} ms after the active one had exited on SIGTERM (it released the lease)`);
  }, 180_000);
});

suite('worker fail-over (real processes, one embedded DATA_DIR)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  afterEach(async () => {
    for (const process_ of processes.splice(0)) {
      process_.kill('SIGCONT');
      await process_.stop(10_000);
    }
  });

  afterAll(() => {
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('has exactly one active worker; when it is SIGKILLed under load the standby takes over within seconds, and no deadline fires twice', async () => {
    const fleet = await startFleet();
    const [first, second] = fleet.workers as [ServerProcess, ServerProcess];
    expect(isActive(second)).toBe(false);
    let takeOver: Promise<number> | null = null;
    const ids = await sendMessages(fleet, 'kill', SENDS, async () => {
      const killedAt = Date.now();
      first.kill('SIGKILL');
      // Watched while the sends go on: the time from the kill until the standby says it is active.
      takeOver = until(() => isActive(second), 'the standby to take over').then(() => Date.now() - killedAt);
    });
    const measured = await takeOver!;
    expect((await first.exited).signal).toBe('SIGKILL');
    await expectEachOnce(fleet, ids);
    // The worker's own probes: it now runs every follower, and says so.
    const ready = await call(second.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    const running = (ready.body?.followers as { name: string; state: string }[]).filter((f) => f.state === 'running').map((f) => f.name);
    expect(running).toEqual(expect.arrayContaining(['worker-lease', 'read-models', 'deadline-manager', 'pm:print']));
    expect(await (await fetch(`${second.baseUrl}/metrics`)).text()).toMatch(/asiointitili_follower_state\{follower="worker-lease",state="running"\} 1/);
    // eslint-disable-next-line no-console
    console.log(
      `worker fail-over (SIGKILL): standby active ${measured} ms after the kill (lease TTL ${LEASE_TTL_MS} ms; a dead holder on the same host is taken over ` +
        `without waiting for its lease to expire); ${ids.length} sends acknowledged, each deemed served exactly once in the log, the feed and the inbox`,
    );
    expect(measured).toBeLessThan(LEASE_TTL_MS + 5000);
  }, 240_000);

  it('fences off a paused (SIGSTOP) active worker: the standby takes over after the lease expires, and the old one, resumed, stands by without having written', async () => {
    const mongo = serverUrl('MONGODB_URL');
    // With MONGODB_URL the read models live in MongoDB/FerretDB, so a paused process cannot hold the embedded read store's write lock.
    const env: Record<string, string> = mongo ? { MONGODB_URL: mongo.replace(/\/[^/?]*(\?|$)/, `/${testDatabaseName('failover')}$1`) } : {};
    const fleet = await startFleet(env);
    const [first, second] = fleet.workers as [ServerProcess, ServerProcess];
    let pausedAt = 0;
    let tookOverMs = 0;
    const ids = await sendMessages(fleet, 'pause', SENDS, async () => {
      pausedAt = Date.now();
      first.kill('SIGSTOP');
      await until(() => isActive(second), 'the standby to take over from the paused worker');
      tookOverMs = Date.now() - pausedAt;
    });
    const outputBefore = first.output().length;
    first.kill('SIGCONT');
    await until(() => /no longer the active worker/.test(first.output().slice(outputBefore)), 'the resumed worker to notice it lost the lease', 15_000);
    const resumedLog = first.output().slice(outputBefore);
    await expectEachOnce(fleet, ids);
    expect(activeEpochs(second)).toEqual([activeEpochs(first)[0]! + 1]);
    // eslint-disable-next-line no-console
    console.log(
      `worker fail-over (SIGSTOP): standby active ${tookOverMs} ms after the pause (lease TTL ${LEASE_TTL_MS} ms); the resumed worker stood down ` +
        `(${(resumedLog.match(/FencedOffError|LeaseLostError|lease "worker" is at epoch|does not hold the "worker" lease/g) ?? []).length} of its writes refused by the fence); ` +
        `${ids.length} sends, each deemed served once; read store: ${mongo ? 'MongoDB' : 'embedded'}`,
    );
    expect(tookOverMs).toBeGreaterThanOrEqual(LEASE_TTL_MS - 500);
  }, 240_000);
});
