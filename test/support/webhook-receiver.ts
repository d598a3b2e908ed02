import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A real HTTP receiver on a loopback port. `answer` decides each request: a status to send now,
 * or 'hang' to keep the connection open without answering (a receiver that times out).
 */
export async function startReceiver(answer: (request: Received, call: number) => number | 'hang') {
  const received: Received[] = [];
  const hanging: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const status = answer(request, received.length);
      if (status === 'hang') {
        hanging.push(() => res.destroy());
        return;
      }
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/asiointitili/hook`,
    received,
    /** Requests answered 2xx, in arrival order, as the feed items they carried. */
    close: () => {
      for (const release of hanging) release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
