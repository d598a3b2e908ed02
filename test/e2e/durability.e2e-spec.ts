import { cpSync, existsSync, mkdtempSync, openSync, closeSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { allPages, auditReport, expectStatus, logSettled, openAccountOver, projectionsCaughtUp, registerAgencyOver, sendOver } from '../support/api-client';
import { ensureBuilt, inBatches, mintToken, startServer, type ServerProcess } from '../support/server-process';
import { syntheticHetu } from '../support/synthetic-hetu';
import { eventually } from '../support/test-app';

/**
 * Faults of the process and of the disk, on the compiled server in a child process (issue 6,
 * item 6): SIGKILL under load, SIGTERM under load, a WAL torn mid-frame, a damaged page. The
 * promise under test: an answer 201 means the message is on disk, exactly once; nothing that
 * start-up cannot vouch for is ever served.
 */

const SENDERS = 32;
const LOAD_MS = 2000;
const EVENTS_FILE = 'events.sqlite';

interface SendRecord {
  readonly externalId: string;
  readonly sender: number;
  /** The HTTP status, or null when the connection died before an answer. */
  readonly status: number | null;
  readonly id?: string;
}

interface Tokens {
  readonly admin: string;
  readonly auditor: string;
  readonly agency: string;
  readonly citizens: readonly string[];
}

const hetus = Array.from({ length: SENDERS }, (_, i) => syntheticHetu(i));
const scratch: string[] = [];
const running: ServerProcess[] = [];

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `asiointitili-${label}-`));
  scratch.push(dir);
  return dir;
}

/**
 * The API with its projections in its own process (WORKER=inline): these are faults of the
 * process that writes the log. With the default worker child process, a SIGKILLed API leaves
 * its worker draining on its own for a moment, which would overlap the next start on the same
 * DATA_DIR (test/e2e/worker-process.e2e-spec.ts covers that layout).
 */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({ dataDir, env: { WORKER: 'inline', ...env } });
  running.push(server);
  return server;
}

/** An agency and SENDERS citizens with open accounts and consent, on a running server. */
async function populate(server: ServerProcess): Promise<Tokens> {
  const dataDir = server.dataDir;
  const [admin, auditor, agency] = await Promise.all([
    mintToken(dataDir, { role: 'admin' }),
    mintToken(dataDir, { role: 'auditor' }),
    mintToken(dataDir, { role: 'agency', agency: 'kela' }),
  ]);
  await registerAgencyOver(server.baseUrl, admin, 'kela');
  const citizens = await inBatches(hetus, 8, (hetu) => mintToken(dataDir, { role: 'citizen', hetu }));
  await inBatches(citizens, 8, (token) => openAccountOver(server.baseUrl, token, 'kela'));
  return { admin, auditor, agency, citizens };
}

/**
 * SENDERS loops, each sending its own externalIds one after another, until `stop` or until its
 * connection dies. `records` fills as answers arrive, so a fault can wait for enough of them.
 */
async function loadWhile(server: ServerProcess, tokens: Tokens, prefix: string, stop: Promise<unknown>, records: SendRecord[] = []): Promise<SendRecord[]> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  await Promise.all(
    hetus.map(async (hetu, sender) => {
      for (let n = 0; !stopped; n++) {
        const externalId = `${prefix}-${sender}-${n}`;
        try {
          const answer = await sendOver(server.baseUrl, tokens.agency, hetu, { delivery: 'ordinary', externalId });
          records.push({ externalId, sender, status: answer.status, id: answer.body?.id as string | undefined });
        } catch {
          records.push({ externalId, sender, status: null });
          return; // the server is gone
        }
      }
    }),
  );
  return records;
}

/**
 * After a restart: every 201 is there exactly once (a resend is 409 with the same id) and in its
 * recipient's inbox; every send without an answer exists once or not at all (a resend is 201 or
 * 409, never a second message); the chains verify.
 */
async function expectNothingLostNothingDoubled(server: ServerProcess, tokens: Tokens, records: readonly SendRecord[]): Promise<void> {
  const acknowledged = records.filter((r) => r.status === 201);
  const unanswered = records.filter((r) => r.status === null);
  expect(records.filter((r) => r.status !== 201 && r.status !== null)).toEqual([]);
  expect(acknowledged.length).toBeGreaterThan(SENDERS);

  await inBatches(acknowledged, SENDERS, async (record) => {
    const resend = await sendOver(server.baseUrl, tokens.agency, hetus[record.sender]!, { delivery: 'ordinary', externalId: record.externalId });
    expect({ externalId: record.externalId, status: resend.status, id: resend.body?.id }).toEqual({ externalId: record.externalId, status: 409, id: record.id });
  });
  const resolved = await inBatches(unanswered, SENDERS, async (record) => {
    const resend = await sendOver(server.baseUrl, tokens.agency, hetus[record.sender]!, { delivery: 'ordinary', externalId: record.externalId });
    expect([201, 409]).toContain(resend.status);
    return { ...record, status: resend.status, id: resend.body?.id as string };
  });

  await projectionsCaughtUp(server.baseUrl);
  const sent = await allPages<{ id: string; externalId?: string }>(server.baseUrl, '/v1/agency/messages', tokens.agency);
  const ours = new Set(records.map((r) => r.externalId));
  const counts = new Map<string, number>();
  for (const item of sent) if (item.externalId && ours.has(item.externalId)) counts.set(item.externalId, (counts.get(item.externalId) ?? 0) + 1);
  expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  for (const record of [...acknowledged, ...resolved]) expect(counts.get(record.externalId)).toBe(1);

  await inBatches(hetus, 8, async (_, sender) => {
    const inbox = new Set((await allPages<{ id: string }>(server.baseUrl, '/v1/citizen/messages', tokens.citizens[sender]!)).map((m) => m.id));
    const missing = acknowledged.filter((r) => r.sender === sender && !inbox.has(r.id!));
    expect(missing).toEqual([]);
  });
  expect(await auditReport(server.baseUrl, tokens.auditor)).toMatchObject({ ok: true });
}

/** Every event in the file, in log order (opening it runs SQLite's WAL recovery, as a start-up does). */
function eventsInFile(dataDir: string): { position: bigint; stream: string; id: string }[] {
  const db = new Database(join(dataDir, EVENTS_FILE));
  try {
    db.defaultSafeIntegers(true);
    return db.prepare('SELECT position, stream, id FROM events ORDER BY position').all() as { position: bigint; stream: string; id: string }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await ensureBuilt();
}, 240_000);

/**
 * Strikes once the load ran at least `ms` and at least two sends per sender were acknowledged, so
 * the fault always lands in the middle of real traffic, however slow the machine is.
 */
async function faultUnderLoad(records: readonly SendRecord[], ms: number, strike: () => void): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < ms || records.filter((r) => r.status === 201).length <= 2 * SENDERS) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  strike();
}

afterAll(async () => {
  for (const server of running) await server.stop(5000);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('durability: a 201 is on disk, exactly once, whatever happens to the process', () => {
  let dataDir: string;
  let tokens: Tokens;

  beforeAll(async () => {
    dataDir = tempDir('durability');
    const server = await start(dataDir);
    tokens = await populate(server);
    expect((await server.stop()).code).toBe(0);
  }, 120_000);

  it('loses no acknowledged send and doubles none when SIGKILLed under 32 concurrent senders', async () => {
    const server = await start(dataDir);
    const records: SendRecord[] = [];
    const killed = faultUnderLoad(records, LOAD_MS, () => server.kill('SIGKILL'));
    await loadWhile(server, tokens, 'kill', killed, records);
    expect((await server.exited).signal).toBe('SIGKILL');

    const restarted = await start(dataDir);
    await expectNothingLostNothingDoubled(restarted, tokens, records);
    expect((await restarted.stop()).code).toBe(0);
  }, 180_000);

  it('drains in-flight requests on SIGTERM under 32 concurrent senders, checkpoints the WAL and exits 0', async () => {
    const server = await start(dataDir);
    const records: SendRecord[] = [];
    const terminated = faultUnderLoad(records, LOAD_MS / 2, () => server.kill('SIGTERM'));
    const recordsPromise = loadWhile(server, tokens, 'term', terminated, records);
    const status = await server.exited;
    await recordsPromise;
    expect(status).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM: draining and stopping');
    // A clean close checkpoints the WAL into the main file and removes it.
    const wal = join(dataDir, `${EVENTS_FILE}-wal`);
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    const restarted = await start(dataDir);
    await expectNothingLostNothingDoubled(restarted, tokens, records);
    expect((await restarted.stop()).code).toBe(0);
  }, 180_000);
});

describe('durability: the tail of the embedded log at start-up', () => {
  /** A server that wrote `count` paper sends, each its own transaction, then was SIGKILLed. */
  async function killedAfterSends(env: Record<string, string>, count: number): Promise<string> {
    const dataDir = tempDir('torn');
    const server = await start(dataDir, env);
    const [admin, agency] = await Promise.all([mintToken(dataDir, { role: 'admin' }), mintToken(dataDir, { role: 'agency', agency: 'kela' })]);
    await registerAgencyOver(server.baseUrl, admin, 'kela');
    // No account for this person: each send is MessageSent + MessageRoutedToPaper, one transaction.
    for (let n = 0; n < count; n++) await expectStatus(sendOver(server.baseUrl, agency, syntheticHetu(600), { externalId: `torn-${n}` }), 201, 'send');
    // With the worker on, wait for the print hand-offs too, so the last transaction is one the read models saw.
    if (env.WORKER !== 'off') await logSettled(server.baseUrl);
    server.kill('SIGKILL');
    await server.exited;
    return dataDir;
  }

  /** A copy of `dataDir` whose WAL lost its last `bytes` bytes, i.e. ends in the middle of a frame. */
  function withTornWal(dataDir: string, bytes: number): string {
    const copy = tempDir('torn-copy');
    cpSync(dataDir, copy, { recursive: true });
    const wal = join(copy, `${EVENTS_FILE}-wal`);
    const size = statSync(wal).size;
    expect(size).toBeGreaterThan(32 + 4 * 4096); // a WAL header and several frames
    truncateSync(wal, size - bytes);
    return copy;
  }

  it('recovers a WAL torn mid-frame to the last committed transaction, and the chain verifies', async () => {
    // WORKER=off: no read model saw the torn transaction, so dropping it is exactly "it never committed".
    const original = await killedAfterSends({ WORKER: 'off' }, 20);
    const torn = withTornWal(original, 100);
    const before = eventsInFile(original);

    const server = await start(torn);
    const auditor = await mintToken(torn, { role: 'auditor' });
    await projectionsCaughtUp(server.baseUrl);
    const report = await auditReport(server.baseUrl, auditor);
    expect(report.ok).toBe(true);
    expect((await server.stop()).code).toBe(0);

    // Events written after the restart (print hand-offs) are not part of the comparison.
    const known = new Set(before.map((e) => e.id));
    const recoveredIds = eventsInFile(torn).filter((e) => known.has(e.id)).map((e) => e.id);
    // A prefix of the log, ending where a transaction ended: what was cut is exactly the last send (one stream, two events).
    expect(recoveredIds).toEqual(before.slice(0, recoveredIds.length).map((e) => e.id));
    const dropped = before.slice(recoveredIds.length);
    expect(dropped.length).toBe(2);
    expect(new Set(dropped.map((e) => e.stream)).size).toBe(1);
  }, 120_000);

  it('refuses to start when the torn tail had already reached the read models, naming the lost positions', async () => {
    const original = await killedAfterSends({}, 20);
    const torn = withTornWal(original, 100);
    const server = await startServer({ dataDir: torn, waitUntilHealthy: false });
    running.push(server);
    const status = await server.exited;
    expect(status.code).toBe(1);
    expect(server.output()).toMatch(/the event log ends at position \d+ but checkpoint "read-models" is at \d+: the log has lost committed events/);
  }, 120_000);

  it('refuses to start on an events file with a damaged page, naming the file', async () => {
    const dataDir = tempDir('damaged');
    const server = await start(dataDir);
    const [admin, agency] = await Promise.all([mintToken(dataDir, { role: 'admin' }), mintToken(dataDir, { role: 'agency', agency: 'kela' })]);
    await registerAgencyOver(server.baseUrl, admin, 'kela');
    const body = 'Päätös. '.repeat(500); // a few pages of events
    for (let n = 0; n < 40; n++) await expectStatus(sendOver(server.baseUrl, agency, syntheticHetu(601), { externalId: `page-${n}`, body }), 201, 'send');
    expect((await server.stop()).code).toBe(0); // a clean stop leaves everything in the main file

    const file = join(dataDir, EVENTS_FILE);
    const pages = Math.floor(statSync(file).size / 4096);
    expect(pages).toBeGreaterThan(8);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);

    const refused = await startServer({ dataDir, waitUntilHealthy: false });
    running.push(refused);
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain(`event store file ${file} is damaged`);
    await eventually(async () => expect(refused.output()).toContain('refusing to start'));
  }, 120_000);
});
