import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Client } from 'pg';
import { call, type ApiAnswer } from '../support/api-client';
import { decision } from '../support/fixtures';
import { ferretDbAvailable, FERRETDB_BINARY, startOwnFerretDb, type OwnFerretDb } from '../support/own-ferretdb';
import { ownInstanceMissing, PostgresInstance } from '../support/postgres';
import { ensureBuilt, mintToken, REPO_ROOT, runCli, startServer, type ServerProcess } from '../support/server-process';
import { syntheticHetu } from '../support/synthetic-hetu';

/* eslint-disable no-console */

/**
 * The production shape, for real: two API processes (WORKER=off) and two workers, events in a
 * PostgreSQL instance of the suite's own, read models and attachments in a FerretDB of its own
 * (on its PostgreSQL handler, over a second PostgreSQL instance of its own),
 * under a steady load of sends (some with an attachment), acknowledgements and reads, while
 *   1. a worker is SIGKILLed (and started again, as an orchestrator would),
 *   2. the read store is down for 15 s (FerretDB and its PostgreSQL SIGKILLed, then restarted),
 *   3. PostgreSQL is SIGKILLed and restarted
 * (FLEET_STORE_FAULTS=0 leaves 2 and 3 out, see STORE_FAULTS).
 * Afterwards: every 2xx send is in the log exactly once and in every read model, its attachment
 * downloads intact, every deadline
 * fired once, /health/ready said 503 during each outage and 200 after, the hash chains verify.
 *
 * The workers' clock runs 40 days ahead (libfaketime), so that every message's legal deadline
 * (deemed service of ordinary messages, paper fall-back of unacknowledged registered ones) falls
 * due while the suite runs; the APIs keep the real time.
 */
const SUITE = 'fleet: two APIs and two workers on PostgreSQL and FerretDB, under faults';
const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'].find((path) => existsSync(path));
const WORKER_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
const READ_STORE_OUTAGE_MS = 15_000;
/**
 * Pause between one lane's requests. Three lanes at this pace are a steady load (about 15 requests
 * a second over both APIs, each send making the workers fire its deadline too) that the 2-core CI
 * machine, shared with other suites, carries; faster, the workers fell minutes behind there.
 */
const LOAD_PAUSE_MS = 150;
const DEADLINE_TYPES = ['MessageDeemedServed', 'PaperFallbackTriggered', 'MessageHandedToPrint'];

/**
 * The store faults (phases 2 and 3) run by default. FLEET_STORE_FAULTS=0 leaves them out (the worker
 * kill alone, about a minute shorter). FerretDB runs on its PostgreSQL handler, on a PostgreSQL
 * instance of its own: its SQLite handler left operations unanswered under this load after a
 * restart (docs/deployment.md, "The production shape, measured"), and PostgreSQL is the backend
 * FerretDB is meant to run on in production (docker-compose profile `postgres`).
 */
const STORE_FAULTS = process.env.FLEET_STORE_FAULTS !== '0';

const missing = [
  ownInstanceMissing(),
  ferretDbAvailable() ? null : `the FerretDB binary at ${FERRETDB_BINARY} (bash .ci/ferretdb.sh builds it)`,
  LIBFAKETIME ? null : 'libfaketime (apt-get install faketime)',
].filter((reason): reason is string => reason !== null);
const suite = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) console.log(`SKIPPED: "${SUITE}" needs ${missing.join('; ')}.`);
else if (!STORE_FAULTS) console.log(`SKIPPED: "${SUITE}": the store faults (read store down 15 s, PostgreSQL crash), left out by FLEET_STORE_FAULTS=0. The worker kill runs.`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** A call that gives up after a few seconds (a request hanging on a dead store must not stall the load). */
async function quick(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<ApiAnswer> {
  return Promise.race([
    call(baseUrl, method, path, token, body).catch(() => ({ status: 0, body: null })),
    sleep(8_000).then(() => ({ status: -1, body: null })),
  ]);
}

/**
 * POST /v1/attachments with a small text file (0: no connection, -1: no answer within 8 s). Plain
 * fetch: the body is the raw file, not JSON.
 */
async function upload(baseUrl: string, token: string, name: string, text: string): Promise<ApiAnswer> {
  try {
    const response = await fetch(`${baseUrl}/v1/attachments?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: text,
      signal: AbortSignal.timeout(8_000),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    return { status: response.status, body };
  } catch (error) {
    return { status: error instanceof Error && error.name === 'TimeoutError' ? -1 : 0, body: null };
  }
}

/**
 * GET /health/ready, the status only (0: no connection, -1: no answer within 8 s). Plain fetch, not
 * call(): call() checks each answer against the OpenAPI document and throws on a mismatch, which
 * would record a 503 said during an outage as a failed request.
 */
async function readinessStatus(baseUrl: string): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(8_000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? -1 : 0;
  }
}

interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
}

/**
 * A worker kept running as an orchestrator keeps it (restart policy "always", 1 s delay): one that
 * exits (e.g. it cannot reach a store at start) is started again. kill() is the fault: SIGKILL,
 * then the restart.
 */
class SupervisedWorker {
  private current: WorkerProcess;
  private stopped = false;
  private log = '';
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly dataDir: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {
    this.current = this.launch();
  }

  output(): string {
    return this.log + this.current.output();
  }

  /** Whether the running process holds the worker lease (by its own log: taken, not lost since). */
  isActive(): boolean {
    const own = this.current.output();
    return own.lastIndexOf('active worker (lease') > own.lastIndexOf('no longer the active worker');
  }

  /** SIGKILL; resolves when the process is gone (the supervisor then starts a new one). */
  async kill(): Promise<void> {
    const victim = this.current;
    victim.child.kill('SIGKILL');
    await victim.exited;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current.child.kill('SIGKILL');
    await this.current.exited;
  }

  private launch(): WorkerProcess {
    const worker = startWorker(this.name, this.dataDir, this.env);
    void worker.exited.then(async () => {
      this.log += worker.output() + `\n[supervisor] ${this.name} exited\n`;
      if (this.stopped) return;
      await sleep(1_000);
      if (this.stopped) return;
      this.restarts += 1;
      this.current = this.launch();
    });
    return worker;
  }
}

function startWorker(name: string, dataDir: string, env: Readonly<Record<string, string>>): WorkerProcess {
  // libfaketime preloaded into node itself (no wrapper process), so a SIGKILL hits the worker.
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      ...env,
      DATA_DIR: dataDir,
      LD_PRELOAD: LIBFAKETIME!,
      FAKETIME: '+40d',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, exited, output: () => chunks.join('') };
}

interface Sent {
  readonly id: string;
  readonly citizen: number;
  readonly delivery: 'ordinary' | 'registered';
  /** The text of the file attached to it, when one was (every third ordinary send uploads one first). */
  readonly attachment?: string;
}

interface ReadinessSample {
  readonly at: number;
  readonly api: number;
  readonly status: number;
}

suite(SUITE, () => {
  let work: string;
  let pg: PostgresInstance;
  /** FerretDB's own backend: a read-store outage stops FerretDB and this server together. */
  let readPg: PostgresInstance;
  let ferret: OwnFerretDb;
  let eventsUrl: string;
  let env: Record<string, string>;
  const apis: ServerProcess[] = [];
  const workers: SupervisedWorker[] = [];
  /** The load lanes and the readiness watch run while this holds; afterAll ends them (also after a failure). */
  let loading = false;

  beforeAll(async () => {
    await ensureBuilt();
    work = await mkdtemp(join(tmpdir(), 'asiointitili-fleet-'));
    pg = await PostgresInstance.create();
    pg.start();
    eventsUrl = await pg.createDatabase('events');
    readPg = await PostgresInstance.create();
    readPg.start();
    // FerretDB's pool sized for this fleet as docs/deployment.md says (> 40 + 30 × 4 processes).
    const ferretPostgresUrl = `${await readPg.createDatabase('ferretdb')}?pool_max_conns=170`;
    ferret = await startOwnFerretDb('asiointitili', { handler: 'postgresql', postgresUrl: ferretPostgresUrl });
    const keysDir = join(work, 'keys');
    await runCli(join(work, 'operator'), ['keys', 'init', '--dir', keysDir]);
    env = {
      KEYS_DIR: keysDir,
      EVENTSTORE_URL: eventsUrl,
      // The driver's wait for a server shortened from 30 s, so an outage shows within seconds.
      MONGODB_URL: `${ferret.url}?serverSelectionTimeoutMS=2000`,
      DEADLINE_INTERVAL_MS: '200',
    };
    for (const name of ['api-a', 'api-b']) apis.push(await startServer({ dataDir: join(work, name), env: { ...env, WORKER: 'off' } }));
    for (const name of ['worker-a', 'worker-b']) workers.push(new SupervisedWorker(name, join(work, name), env));
  }, 300_000);

  afterAll(async () => {
    loading = false;
    for (const api of apis) await api.stop(5_000).catch(() => undefined);
    for (const worker of workers) await worker.stop();
    await ferret?.destroy();
    readPg?.destroy();
    pg?.destroy();
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  const faults = STORE_FAULTS ? 'a worker kill, a read-store outage and a PostgreSQL crash' : 'a worker kill';
  it(`keeps every acknowledged write, fires every deadline once and recovers by itself from ${faults}`, async () => {
    const operator = join(work, 'operator');
    const keys = { KEYS_DIR: env.KEYS_DIR! };
    const admin = await mintToken(operator, { role: 'admin' }, keys);
    const auditor = await mintToken(operator, { role: 'auditor' }, keys);
    const agency = await mintToken(operator, { role: 'agency', agency: 'kela' }, keys);
    const hetus = Array.from({ length: 6 }, (_, index) => syntheticHetu(index));
    const citizens = await Promise.all(hetus.map((hetu) => mintToken(operator, { role: 'citizen', hetu }, keys)));
    const [a, b] = apis.map((api) => api.baseUrl) as [string, string];
    expect((await call(a, 'POST', '/v1/admin/agencies', admin, { id: 'kela', name: 'Kela', businessId: '0737546-2' })).status).toBe(201);
    for (const citizen of citizens) {
      expect((await call(b, 'POST', '/v1/citizen/account', citizen, { language: 'fi' })).status).toBe(201);
      expect((await call(a, 'PUT', '/v1/citizen/consents/kela', citizen)).status).toBe(200);
    }
    // Sends check the recipient in the read models: wait until the worker has projected the accounts.
    await until('the accounts in the read models', async () => (await call(a, 'GET', '/v1/citizen/account', citizens[5])).status === 200, 30_000);

    // ------------------------------------------------------------ steady load and readiness watch
    const sent: Sent[] = [];
    const acknowledged = new Set<string>();
    const ackedIds = new Set<string>();
    const statuses = { send: new Map<number, number>(), ack: new Map<number, number>(), read: new Map<number, number>(), upload: new Map<number, number>() };
    const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
    loading = true;
    let sequence = 0;
    const lane = async (laneIndex: number) => {
      for (let step = 0; loading; step++) {
        const api = apis[(laneIndex + step) % 2]!.baseUrl;
        const citizen = (laneIndex * 7 + step) % citizens.length;
        const action = step % 5;
        if (action < 3) {
          const delivery = step % 2 === 0 ? 'ordinary' : 'registered';
          const externalId = `fleet-${++sequence}`;
          // Attachments go to the blob store (GridFS on FerretDB): every third ordinary send carries one.
          let attachment: { readonly id: string; readonly text: string } | undefined;
          if (delivery === 'ordinary' && step % 3 === 0) {
            const text = `Liite ${externalId}: päätöksen perustelut.`;
            const uploaded = await upload(api, agency, `${externalId}.txt`, text);
            count(statuses.upload, uploaded.status);
            if (uploaded.status === 201) attachment = { id: String(uploaded.body!.id), text };
          }
          const body = decision(hetus[citizen]!, { delivery, externalId, ...(attachment ? { attachments: [attachment.id] } : {}) });
          const answer = await quick(api, 'POST', '/v1/agency/messages', agency, body);
          count(statuses.send, answer.status);
          if (answer.status === 201) sent.push({ id: String(answer.body!.id), citizen, delivery, ...(attachment ? { attachment: attachment.text } : {}) });
        } else if (action === 3) {
          const open = sent.find((message) => message.citizen === citizen && message.delivery === 'registered' && !acknowledged.has(message.id));
          if (open) {
            const answer = await quick(api, 'POST', `/v1/citizen/messages/${open.id}/acknowledgement`, citizens[citizen]);
            count(statuses.ack, answer.status);
            // 409: the workers (40 days ahead) already fell back to paper; not acknowledged, and said so.
            if (answer.status === 201 || answer.status === 200 || answer.status === 409) acknowledged.add(open.id);
            if (answer.status === 201 || answer.status === 200) ackedIds.add(open.id);
          }
        } else {
          count(statuses.read, (await quick(api, 'GET', '/v1/citizen/messages', citizens[citizen])).status);
        }
        await sleep(LOAD_PAUSE_MS);
      }
    };
    const readiness: ReadinessSample[] = [];
    const watch = (async () => {
      while (loading) {
        await Promise.all(
          apis.map(async (api, index) => readiness.push({ at: Date.now(), api: index, status: await readinessStatus(api.baseUrl) })),
        );
        await sleep(200);
      }
    })();
    const lanes = [0, 1, 2].map(lane);
    /** What the fleet looks like now: readiness of both APIs, PostgreSQL sessions, the processes' output. */
    const diagnose = async (error: Error): Promise<never> => {
      const readinessNow = await Promise.all(apis.map((api) => quick(api.baseUrl, 'GET', '/health/ready').then(async (answer) => ({ ...answer, status: await readinessStatus(api.baseUrl) }))));
      const activity = async (url: string) => {
        const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
        await client.connect();
        const { rows } = await client.query(
          `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_transaction, left(query, 120) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        await client.end();
        return JSON.stringify(rows);
      };
      const eventsActivity = await activity(eventsUrl).catch((reason: unknown) => String(reason));
      const readStoreActivity = await activity(readPg.urlOf('ferretdb')).catch((reason: unknown) => String(reason));
      const ferretAnswer = await (async () => {
        const client = await MongoClient.connect(ferret.url, { serverSelectionTimeoutMS: 2000 });
        try {
          const checkpoints = client.db().collection('g1__checkpoints').countDocuments({});
          const answer = String(await Promise.race([checkpoints, sleep(3_000).then(() => 'no answer within 3 s')]));
          // Where FerretDB's goroutines wait, kept in a file (too long for the message).
          const dump = join(tmpdir(), `fleet-ferretdb-${Date.now()}.txt`);
          await writeFile(dump, await ferret.introspect());
          return `${answer}\nFerretDB log: ${ferret.output().slice(-2_000)}\nFerretDB goroutines and cursors: ${dump}`;
        } finally {
          void client.close();
        }
      })().catch((reason: unknown) => String(reason));
      const tail = (text: string) => text.split('\n').slice(-30).join('\n');
      // Each API's exit (if it exited) and its readiness history: when it last said 200, first said 0 (no connection).
      const apiStates = await Promise.all(
        apis.map(async (api, index) => {
          const exit = await Promise.race([api.exited, sleep(10).then(() => 'running')]);
          const mine = readiness.filter((sample) => sample.api === index);
          const at = (sample: ReadinessSample | undefined) => (sample ? new Date(sample.at).toISOString() : 'never');
          return `api ${index}: ${JSON.stringify(exit)}; last 200 at ${at(mine.filter((sample) => sample.status === 200).at(-1))}, first 0 at ${at(mine.find((sample) => sample.status === 0))}`;
        }),
      );
      throw new Error(
        `${error.message}\n${apiStates.join('\n')}\nreadiness: ${JSON.stringify(readinessNow)}\nevents pg_stat_activity: ${eventsActivity}\nFerretDB's PostgreSQL pg_stat_activity: ${readStoreActivity}\nFerretDB, count of checkpoints: ${ferretAnswer}\n` +
          workers.map((worker) => `--- ${worker.name} (${worker.restarts} restarts)\n${tail(worker.output())}`).join('\n') +
          apis.map((api, index) => `\n--- api ${index}\n${tail(api.output())}`).join(''),
      );
    };
    const readyAll = () =>
      until('both APIs ready', async () => (await Promise.all(apis.map((api) => readinessStatus(api.baseUrl)))).every((status) => status === 200), 120_000).catch(diagnose);
    let lastInbox: ApiAnswer | null = null;
    const inInbox = (message: Sent) => async () => {
      const inbox = await quick(b, 'GET', '/v1/citizen/messages?limit=1000', citizens[message.citizen]);
      lastInbox = inbox;
      return inbox.status === 200 && (inbox.body!.items as Array<{ id: string }>).some((item) => item.id === message.id);
    };
    const probe = async (api: string): Promise<Sent> => {
      for (;;) {
        const answer = await quick(api, 'POST', '/v1/agency/messages', agency, decision(hetus[0]!, { delivery: 'ordinary', externalId: `probe-${++sequence}` }));
        count(statuses.send, answer.status);
        if (answer.status === 201) {
          const message: Sent = { id: String(answer.body!.id), citizen: 0, delivery: 'ordinary' };
          sent.push(message);
          return message;
        }
        await sleep(100);
      }
    };
    await sleep(5_000);

    // ------------------------------------------------------------ 1. a worker is SIGKILLed
    const active = await until('one worker to hold the lease', async () => workers.find((worker) => worker.isActive()) ?? null, 30_000).catch(diagnose);
    const workerKilledAt = Date.now();
    await active.kill();
    const afterKill = await probe(a);
    await until('a send after the worker kill in the inbox', inInbox(afterKill), 60_000).catch((error: Error) => diagnose(new Error(`${error.message}; last inbox answer ${lastInbox?.status}, ${JSON.stringify(lastInbox?.body).slice(0, 300)}`)));
    const failoverMs = Date.now() - workerKilledAt;
    await sleep(5_000);

    // ------------------------------------------------------------ 2. the read store is down for 15 s
    let readStoreDownAt = 0;
    let readStoreUpAt = 0;
    let readStoreRecoveryMs = 0;
    if (STORE_FAULTS) {
      // The whole read store crashes: FerretDB and the PostgreSQL under it, SIGKILLed together.
      readStoreDownAt = Date.now();
      await ferret.stop();
      readPg.kill();
      await sleep(READ_STORE_OUTAGE_MS);
      readPg.start();
      await ferret.start();
      readStoreUpAt = Date.now();
      const afterReadStore = await probe(b);
      await readyAll();
      await until('a send after the read-store outage in the inbox', inInbox(afterReadStore), 60_000).catch((error: Error) => diagnose(new Error(`${error.message}; last inbox answer ${lastInbox?.status}, ${JSON.stringify(lastInbox?.body).slice(0, 300)}`)));
      readStoreRecoveryMs = Date.now() - readStoreUpAt;
      await sleep(3_000);
    }

    // ------------------------------------------------------------ 3. PostgreSQL is killed and restarted
    let pgDownAt = 0;
    let pgUpAt = 0;
    let killedProcesses = 0;
    let firstSendAfterPgMs = 0;
    let pgRecoveryMs = 0;
    if (STORE_FAULTS) {
      pgDownAt = Date.now();
      killedProcesses = pg.kill();
      await sleep(3_000);
      pg.start();
      pgUpAt = Date.now();
      const afterPg = await probe(a);
      firstSendAfterPgMs = Date.now() - pgUpAt;
      await readyAll();
      await until('a send after the PostgreSQL restart in the inbox', inInbox(afterPg), 60_000).catch((error: Error) => diagnose(new Error(`${error.message}; last inbox answer ${lastInbox?.status}, ${JSON.stringify(lastInbox?.body).slice(0, 300)}`)));
      pgRecoveryMs = Date.now() - pgUpAt;
      await sleep(3_000);
    }

    loading = false;
    await Promise.all([...lanes, watch]);

    // ------------------------------------------------------------ afterwards
    const log = new Client({ connectionString: eventsUrl });
    await log.connect();
    try {
      const ordinary = sent.filter((message) => message.delivery === 'ordinary');
      const registered = sent.filter((message) => message.delivery === 'registered');
      // Every deadline has fallen due for the workers: wait until each has fired.
      await until(
        'every deadline to fire',
        async () => {
          const { rows } = await log.query<{ due: string }>(
            `SELECT count(*) AS due FROM unnest($1::text[]) AS s(stream)
              WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE e.stream = s.stream AND e.type = 'MessageDeemedServed')`,
            [ordinary.map((message) => `message-${message.id}`)],
          );
          return rows[0]!.due === '0';
        },
        90_000,
      ).catch(async (error: Error) => {
        // Which messages wait, and what their streams hold: the first few, event types in order.
        const { rows } = await log.query<{ stream: string; types: string }>(
          `SELECT s.stream, (SELECT string_agg(e.type, ',' ORDER BY e.position) FROM event_log e WHERE e.stream = s.stream) AS types
             FROM unnest($1::text[]) AS s(stream)
            WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE e.stream = s.stream AND e.type = 'MessageDeemedServed') LIMIT 5`,
          [ordinary.map((message) => `message-${message.id}`)],
        );
        return diagnose(new Error(`${error.message}; not yet deemed served: ${JSON.stringify(rows)}`));
      });

      // Every 2xx send exactly once in the log.
      const { rows: sentRows } = await log.query<{ stream: string; n: string }>(
        `SELECT stream, count(*) AS n FROM event_log WHERE type = 'MessageSent' AND stream = ANY($1::text[]) GROUP BY stream`,
        [sent.map((message) => `message-${message.id}`)],
      );
      expect(sentRows).toHaveLength(sent.length);
      sentRows.forEach((row) => expect(row.n).toBe('1'));
      const { rows: duplicateIds } = await log.query('SELECT id FROM event_log GROUP BY id HAVING count(*) > 1');
      expect(duplicateIds).toEqual([]);

      // Deadlines fired once: no deadline event twice in a stream; each ordinary message deemed
      // served; each registered one either acknowledged or fallen back to paper, never both.
      const { rows: twice } = await log.query(
        `SELECT stream, type, count(*) FROM event_log WHERE type = ANY($1::text[]) GROUP BY stream, type HAVING count(*) > 1`,
        [DEADLINE_TYPES],
      );
      expect(twice).toEqual([]);
      const { rows: outcomes } = await log.query<{ stream: string; acks: string; fallbacks: string }>(
        `SELECT stream, count(*) FILTER (WHERE type = 'ReceiptAcknowledged') AS acks, count(*) FILTER (WHERE type = 'PaperFallbackTriggered') AS fallbacks
           FROM event_log WHERE stream = ANY($1::text[]) GROUP BY stream`,
        [registered.map((message) => `message-${message.id}`)],
      );
      for (const outcome of outcomes) {
        expect(Number(outcome.acks) + Number(outcome.fallbacks)).toBeLessThanOrEqual(1);
        if (ackedIds.has(outcome.stream.slice('message-'.length))) expect(outcome.acks).toBe('1');
      }
      const fallbacks = outcomes.filter((outcome) => outcome.fallbacks === '1').length;

      // In every read model: each citizen's inbox (through either API), the agency's view and feed.
      await until(
        'every send in every inbox',
        async () => {
          for (const [index, citizen] of citizens.entries()) {
            const inbox = await quick(apis[index % 2]!.baseUrl, 'GET', '/v1/citizen/messages?limit=1000', citizen);
            const ids = new Set((inbox.body?.items as Array<{ id: string }> | undefined)?.map((item) => item.id));
            if (sent.some((message) => message.citizen === index && !ids.has(message.id))) return false;
          }
          return true;
        },
        60_000,
      );
      // The agency's view of each message, once the read models have applied the deadlines too.
      await until(
        "every message in the agency's view, ordinary ones deemed served",
        async () => {
          for (const [index, message] of sent.entries()) {
            const view = await quick(apis[index % 2]!.baseUrl, 'GET', `/v1/agency/messages/${message.id}`, agency);
            if (view.status !== 200 || (message.delivery === 'ordinary' && view.body!.state !== 'deemed-served')) return false;
          }
          return true;
        },
        60_000,
      );
      // Every attachment of a 201 send downloads, byte for byte, by its recipient through either API.
      const withAttachment = sent.filter((message) => message.attachment !== undefined);
      for (const [index, message] of withAttachment.entries()) {
        const api = apis[index % 2]!.baseUrl;
        const opened = await call(api, 'GET', `/v1/citizen/messages/${message.id}`, citizens[message.citizen]);
        expect(opened.status).toBe(200);
        const [item] = opened.body!.attachments as Array<{ url: string; sha256: string }>;
        const download = await fetch(`${api}${item!.url}`, { headers: { Authorization: `Bearer ${citizens[message.citizen]}` } });
        expect(download.status).toBe(200);
        expect(await download.text()).toBe(message.attachment);
      }

      const feed: Array<{ messageId?: string }> = [];
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page: ApiAnswer = await call(a, 'GET', `/v1/agency/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, agency);
        expect(page.status).toBe(200);
        feed.push(...(page.body!.items as Array<{ messageId?: string }>));
        cursor = page.body!.next as string | null;
      }
      const inFeed = new Set(feed.map((item) => item.messageId));
      sent.forEach((message) => expect(inFeed.has(message.id)).toBe(true));

      // No request failed as a bug: during an outage a request answers 503 store-unavailable (or the
      // connection fails), never 500. The APIs' logged errors are the message when one did.
      const errors500 = [statuses.send, statuses.ack, statuses.read, statuses.upload].reduce((sum, map) => sum + (map.get(500) ?? 0), 0);
      if (errors500 > 0) {
        const loggedErrors = apis.flatMap((api) => api.output().split('\n').filter((line) => /ERROR/.test(line))).slice(0, 10);
        throw new Error(`${errors500} answers were 500 during the run; the APIs logged:\n${loggedErrors.join('\n')}`);
      }

      // The hash chains verify.
      const audit = await call(b, 'GET', '/v1/audit/verify', auditor);
      expect(audit.status).toBe(200);
      expect(audit.body!.ok).toBe(true);

      // Readiness: 503 during each outage, 200 after it, on both APIs.
      const during = (from: number, to: number, api: number) => readiness.filter((s) => s.api === api && s.at >= from && s.at <= to);
      const lastOf = (api: number) => readiness.filter((s) => s.api === api).at(-1)!;
      for (const api of [0, 1]) {
        if (STORE_FAULTS) {
          expect(during(readStoreDownAt + 3_000, readStoreUpAt, api).some((s) => s.status === 503)).toBe(true);
          expect(during(pgDownAt, pgUpAt + 1_000, api).some((s) => s.status === 503)).toBe(true);
          expect(during(readStoreUpAt, pgDownAt, api).some((s) => s.status === 200)).toBe(true);
        }
        expect(lastOf(api).status).toBe(200);
      }
      const firstReady = (after: number) => {
        const ok = readiness.filter((s) => s.at > after && s.status === 200);
        return Math.max(...[0, 1].map((api) => (ok.find((s) => s.api === api)?.at ?? Infinity) - after));
      };
      const ready503 = (from: number, to: number) => readiness.filter((s) => s.at >= from && s.at <= to && s.status === 503).length;

      const figures = [
        `fleet: ${sent.length} sends answered 201 (${ordinary.length} ordinary, ${registered.length} registered), ${ackedIds.size} acknowledgements, ${statuses.read.get(200) ?? 0} inbox reads answered 200`,
        `fleet: ${withAttachment.length} of the sends carry an attachment (uploads ${JSON.stringify(Object.fromEntries(statuses.upload))}), each downloaded intact by its recipient afterwards`,
        `fleet: answers during the run — sends ${JSON.stringify(Object.fromEntries(statuses.send))}, acknowledgements ${JSON.stringify(Object.fromEntries(statuses.ack))}, reads ${JSON.stringify(Object.fromEntries(statuses.read))} (0: connection refused/reset, -1: no answer within 8 s)`,
        `fleet: worker SIGKILLed — a send made after the kill was in the inbox ${failoverMs} ms after it (fail-over)`,
        `fleet: readiness polled ${readiness.length} times over both APIs — ${JSON.stringify(Object.fromEntries([...new Set(readiness.map((s) => s.status))].map((status) => [status, readiness.filter((s) => s.status === status).length])))}; last answer ${lastOf(0).status} and ${lastOf(1).status}`,
        STORE_FAULTS && `fleet: read store down ${readStoreUpAt - readStoreDownAt} ms (${ready503(readStoreDownAt, readStoreUpAt)} readiness answers 503); both APIs ready ${firstReady(readStoreUpAt)} ms and a send made after it in the inbox ${readStoreRecoveryMs} ms after it came back`,
        STORE_FAULTS && `fleet: PostgreSQL SIGKILLed (${killedProcesses} processes), down ${pgUpAt - pgDownAt} ms incl. crash recovery (${ready503(pgDownAt, pgUpAt)} readiness answers 503); first send 201 ${firstSendAfterPgMs} ms, both APIs ready ${firstReady(pgUpAt)} ms, that send in the inbox ${pgRecoveryMs} ms after the restart`,
        `fleet: afterwards every 201 send once in the log and in every inbox, the agency view and feed; ${ordinary.length} deemed served once each, ${fallbacks} paper fall-backs, no deadline event twice; audit verify ok over ${String(audit.body!.events)} events`,
      ];
      for (const line of figures) if (line) console.log(line);
    } finally {
      await log.end();
    }
  }, 420_000);
});
