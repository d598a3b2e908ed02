import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

export const sha256Hex = (input: string | Buffer): string => createHash('sha256').update(input).digest('hex');

/** The parts of an event that its hash covers: everything but the hash itself and the store's global position. */
export interface ChainedEventContent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  /** Metadata without `hash` (it includes `prevHash`, which is what chains the events). */
  readonly metadata: Readonly<Record<string, unknown>> & { readonly prevHash: string };
}

/**
 * SHA-256 over the canonical JSON of the event's content. Because the content includes the
 * stream name, the revision and the previous hash, an edit, a reordering, an insertion or a
 * removal anywhere in a stream changes every hash after it.
 */
export function eventHash(event: ChainedEventContent): string {
  const { hash: _ignored, ...metadata } = event.metadata as Record<string, unknown>;
  return sha256Hex(
    canonicalJson({
      stream: event.stream,
      revision: event.revision.toString(),
      id: event.id,
      type: event.type,
      data: event.data,
      metadata,
    }),
  );
}

export interface ChainFailure {
  readonly stream: string;
  readonly revision: string;
  readonly reason: 'revision-gap' | 'prev-hash-mismatch' | 'hash-mismatch';
  readonly detail: string;
}

interface VerifiableEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly prevHash: string; readonly hash: string } & Readonly<Record<string, unknown>>;
}

/**
 * Walks one stream's events in order and returns the first break in its chain, or null.
 * Used by GET /v1/audit/verify, by the offline `audit verify` command and by the tests.
 */
export function verifyChain(events: Iterable<VerifiableEvent>): ChainFailure | null {
  let expectedPrev = GENESIS_HASH;
  let expectedRevision = 0n;
  for (const event of events) {
    const at = { stream: event.stream, revision: event.revision.toString() };
    if (event.revision !== expectedRevision) {
      return { ...at, reason: 'revision-gap', detail: `expected revision ${expectedRevision}, found ${event.revision}` };
    }
    if (event.metadata.prevHash !== expectedPrev) {
      return { ...at, reason: 'prev-hash-mismatch', detail: 'prevHash does not match the hash of the previous event' };
    }
    const recomputed = eventHash(event);
    if (recomputed !== event.metadata.hash) {
      return { ...at, reason: 'hash-mismatch', detail: 'the event content does not match its hash' };
    }
    expectedPrev = event.metadata.hash;
    expectedRevision += 1n;
  }
  return null;
}
