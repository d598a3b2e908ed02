import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSINESS_ID, decision, HETU } from '../support/fixtures';
import { ensureBuilt, mintToken, startServer, type ServerProcess } from '../support/server-process';

/**
 * `npm start` runs the projections and process managers in a worker child process (WORKER=child,
 * the default): the API's answers still include the citizen's own changes (read-your-writes
 * through the checkpoint the worker stores), sent messages reach the inbox, the worker is
 * restarted when it dies, and it ends with the API.
 */
describe('npm start with the worker in a child process', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'asiointitili-worker-process-'));
    server = await startServer({ dataDir });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const workerPids = (): number[] => [...server.output().matchAll(/worker process (\d+) started/g)].map((match) => Number(match[1]));
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('answers with the citizen’s own change at once and delivers a sent message to the inbox, with the projections in another process', async () => {
    const [pid] = workerPids();
    expect(pid).toBeDefined();
    expect(pid).not.toBe(server.pid);
    expect(alive(pid!)).toBe(true);

    const admin = await mintToken(dataDir, { role: 'admin' });
    expect((await call('POST', '/v1/admin/agencies', admin, { id: 'vero', name: 'Verohallinto', businessId: BUSINESS_ID })).status).toBe(201);
    const citizen = await mintToken(dataDir, { role: 'citizen', hetu: HETU.maija });
    expect((await call('POST', '/v1/citizen/account', citizen, { language: 'fi' })).status).toBe(201);
    // Read-your-writes: the answer to the consent already shows it, read from the worker's read models.
    const consent = await call('PUT', '/v1/citizen/consents/vero', citizen);
    expect(consent.status).toBe(200);
    expect(consent.body.consents).toEqual([expect.objectContaining({ agencyId: 'vero' })]);

    const agency = await mintToken(dataDir, { role: 'agency', agency: 'vero' });
    const sent = await call('POST', '/v1/agency/messages', agency, decision(HETU.maija));
    expect(sent.status).toBe(201);
    await until('the message is in the inbox', async () => (await call('GET', '/v1/citizen/messages', citizen)).body.items.some((item: { id: string }) => item.id === sent.body.id));
  });

  it('starts the worker again when it dies, and the read models keep following the log', async () => {
    const [first] = workerPids();
    process.kill(first!, 'SIGKILL');
    await until('a second worker process started', () => workerPids().length >= 2);
    const second = workerPids()[1]!;
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    const citizen = await mintToken(dataDir, { role: 'citizen', hetu: HETU.maija });
    const agency = await mintToken(dataDir, { role: 'agency', agency: 'vero' });
    const sent = await call('POST', '/v1/agency/messages', agency, decision(HETU.maija, { subject: 'Toinen päätös' }));
    expect(sent.status).toBe(201);
    await until('the second message is in the inbox', async () => (await call('GET', '/v1/citizen/messages', citizen)).body.items.some((item: { id: string }) => item.id === sent.body.id));
  }, 60_000);

  it('ends the worker with the API, also when the API is killed', async () => {
    const worker = workerPids().at(-1)!;
    server.kill('SIGKILL');
    await server.exited;
    await until('the worker has ended', () => !alive(worker));
  }, 30_000);
});

describe('a worker whose API is killed while the worker is still starting', () => {
  it('does not stay behind', async () => {
    await ensureBuilt();
    const dataDir = await mkdtemp(join(tmpdir(), 'asiointitili-worker-orphan-'));
    const server = await startServer({ dataDir, waitUntilHealthy: false });
    try {
      const deadline = Date.now() + 60_000;
      let pid: number | undefined;
      while (pid === undefined) {
        pid = Number(/worker process (\d+) started/.exec(server.output())?.[1]) || undefined;
        if (Date.now() > deadline) throw new Error(`no worker process started:\n${server.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The worker has just been forked: it is still opening DATA_DIR when its API dies.
      server.kill('SIGKILL');
      await server.exited;
      const gone = Date.now() + 20_000;
      for (;;) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        if (Date.now() > gone) throw new Error(`worker ${pid} is still running after its API was killed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
