import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Collections } from '@asiointitili/app/read/projections/collections';
import { blobFiles } from '../support/blob-files';
import { HETU, decision, openAccountWithConsent, registerAgency } from '../support/fixtures';

import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Slow clients (issue 14, item 3): a client trickling its headers or body is cut off at the limit
 * of its route class with 408 problem+json, and one address cannot hold more than its share of
 * connections. Limits are shortened here so that the suite takes seconds; each test prints what
 * it measured.
 */
const LIMITS = { HEADERS_TIMEOUT_MS: '1000', JSON_BODY_TIMEOUT_MS: '1000', UPLOAD_BODY_TIMEOUT_MS: '3000', MAX_CONNECTIONS_PER_ADDRESS: '6' };

interface RawAnswer {
  readonly status: number | null;
  readonly headers: string;
  readonly body: string;
  readonly ms: number;
}

describe('slow clients are cut off per route class, and connections per address are capped', () => {
  let t: TestApp;
  let port: number;
  let agency: string;

  beforeAll(async () => {
    t = await startTestApp({ env: LIMITS });
    await registerAgency(t, 'kela');
    await openAccountWithConsent(t, HETU.maija, 'kela');
    agency = await t.token({ role: 'agency', agency: 'kela' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t?.destroy());

  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });

  /** Writes `head`, then `trickle` one byte every `everyMs` until the server answers or closes; collects the answer. */
  async function trickled(head: string, trickle: string, everyMs: number): Promise<RawAnswer> {
    const socket = await open();
    const started = Date.now();
    let received = '';
    let index = 0;
    socket.write(head);
    const timer = setInterval(() => {
      if (index < trickle.length && socket.writable) socket.write(trickle[index++]!);
    }, everyMs);
    socket.on('data', (data: Buffer) => (received += data.toString('utf8')));
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.once('error', () => resolve());
    });
    clearInterval(timer);
    const [headers = '', body = ''] = received.split('\r\n\r\n');
    const status = /^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1];
    return { status: status ? Number(status) : null, headers, body, ms: Date.now() - started };
  }

  const jsonHead = (length: number) =>
    `POST /v1/agency/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${agency}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  const uploadHead = (length: number) =>
    `POST /v1/attachments?name=a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${agency}\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`;

  it('answers headers trickled byte by byte with 408 problem+json once the header limit passes', async () => {
    const answer = await trickled('GET /v1/agency/messages HTTP/1.1\r\nHost: x\r\n', 'X-Slow: ' + 'a'.repeat(200), 200);
    console.log(`headers trickled at 5 bytes/s: ${answer.status} after ${answer.ms} ms (limit 1000 ms)`);
    expect(answer.status).toBe(408);
    expect(answer.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:asiointitili:problem:request-timeout', status: 408 });
    expect(answer.ms).toBeLessThan(4000);
  });

  it('answers a JSON body trickled byte by byte with 408 problem+json at the JSON limit, and sends nothing', async () => {
    const head = await t.runtime.events.headPosition();
    const body = JSON.stringify(decision(HETU.maija));
    const answer = await trickled(jsonHead(Buffer.byteLength(body)), body, 200);
    console.log(`JSON body trickled at 5 bytes/s: ${answer.status} after ${answer.ms} ms (limit 1000 ms)`);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:asiointitili:problem:request-timeout', status: 408 });
    expect(answer.headers).toMatch(/connection: close/i);
    expect(answer.ms).toBeLessThan(3000);
    expect(await t.runtime.events.headPosition()).toBe(head);
  });

  it('gives an upload the longer upload limit: still reading after the JSON limit, 408 at its own, nothing stored', async () => {
    const records = await t.runtime.readStore.count(Collections.attachments);
    const answer = await trickled(uploadHead(1000), 'x'.repeat(1000), 200);
    expect(await t.runtime.readStore.count(Collections.attachments)).toBe(records);
    expect(blobFiles(t.dataDir)).toEqual([]);
    console.log(`upload trickled at 5 bytes/s: ${answer.status} after ${answer.ms} ms (limit 3000 ms)`);
    expect(answer.status).toBe(408);
    expect(answer.ms).toBeGreaterThanOrEqual(2800);
    expect(answer.ms).toBeLessThan(6000);
  });

  it('accepts an upload that takes longer than the JSON limit but arrives within the upload limit', async () => {
    const socket = await open();
    let received = '';
    socket.on('data', (data: Buffer) => (received += data.toString('utf8')));
    socket.write(uploadHead(10) + 'hello');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    socket.write(' you\n');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (received.includes('\r\n\r\n{')) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 201/);
  });

  it('closes a connection beyond the per-address cap at once, and takes new ones when others close', async () => {
    const held = await Promise.all(Array.from({ length: 6 }, () => open()));
    const extra = await open();
    const closedAt = await new Promise<number>((resolve) => {
      const started = Date.now();
      extra.once('close', () => resolve(Date.now() - started));
      extra.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    console.log(`7th connection from one address (cap 6): closed after ${closedAt} ms`);
    expect(closedAt).toBeLessThan(1000);
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await t.http.get('/v1/agency/messages').set('Authorization', `Bearer ${agency}`);
    expect(again.status).toBe(200);
  });
});
