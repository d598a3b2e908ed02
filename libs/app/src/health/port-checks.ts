import type { BlobStore, EventStore, ReadStore } from '@asiointitili/core';
import { describeError } from '../followers/failures';

/** Longest a readiness probe waits for one port's ping: a hanging store must answer "not ready", not hang the probe. */
export const PING_TIMEOUT_MS = 2000;

export type PortName = 'event store' | 'read store' | 'blob store';

export interface PortCheck {
  readonly port: PortName;
  readonly reachable: boolean;
  /** Why not, when not. */
  readonly error?: string;
}

export interface CheckedPorts {
  readonly events: EventStore;
  readonly readStore: ReadStore;
  readonly blobs: BlobStore;
}

/** Pings every port at once, each bounded by `timeoutMs`. */
export async function checkPorts(ports: CheckedPorts, timeoutMs = PING_TIMEOUT_MS): Promise<PortCheck[]> {
  const pings: readonly [PortName, () => Promise<boolean>][] = [
    ['event store', () => ports.events.ping()],
    ['read store', () => ports.readStore.ping()],
    ['blob store', () => ports.blobs.ping()],
  ];
  return Promise.all(pings.map(([port, ping]) => checkOne(port, ping, timeoutMs)));
}

/** Whether every port answers now (what a supervisor asks before judging an event poison). */
export async function allPortsReachable(ports: CheckedPorts, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  return (await checkPorts(ports, timeoutMs)).every((check) => check.reachable);
}

async function checkOne(port: PortName, ping: () => Promise<boolean>, timeoutMs: number): Promise<PortCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PortCheck>((resolve) => {
    timer = setTimeout(() => resolve({ port, reachable: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const answer = ping().then(
    (ok): PortCheck => (ok ? { port, reachable: true } : { port, reachable: false, error: 'ping failed' }),
    (error: unknown): PortCheck => ({ port, reachable: false, error: describeError(error) }),
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
