import type { Checkpoint } from '@asiointitili/core';

const MAX_NAME_LENGTH = 200;

/** Positions are bigint so that log positions beyond 2^53 survive; stored as decimal strings. */
export function assertCheckpoint(checkpoint: Checkpoint): void {
  assertCheckpointName(checkpoint.name);
  if (typeof checkpoint.position !== 'bigint') throw new TypeError('checkpoint position must be a bigint');
  if (checkpoint.position < 0n) throw new RangeError('checkpoint position must not be negative');
}

export function assertCheckpointName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new TypeError(`checkpoint name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
}

export function parsePosition(stored: unknown): bigint {
  if (typeof stored !== 'string' || !/^[0-9]+$/.test(stored)) throw new Error(`corrupt checkpoint position ${JSON.stringify(stored)}`);
  return BigInt(stored);
}
