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
  readonly metadata: { readonly prevHash: string };
}

/**
 * SHA-256 over the canonical JSON of the event's content. Because the content includes the
 * stream name, the revision and the previous hash, an edit, a reordering, an insertion or a
 * removal anywhere in a stream changes every hash after it.
 */
export function eventHash(event: ChainedEventContent): string {
  const { hash: _ignored, ...metadata } = event.metadata as { readonly hash?: string };
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

export interface VerifiableEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly prevHash: string; readonly hash: string };
}

/**
 * Checks events of any number of streams arriving in global (or per-stream) order: each event's
 * hash over its canonical content, its prevHash against the previous event of its stream, and
 * revisions without gaps. Remembers the first break of each stream.
 */
export class ChainTracker {
  private readonly heads = new Map<string, { hash: string; next: bigint }>();
  private readonly broken = new Map<string, ChainFailure>();
  private count = 0;

  check(event: VerifiableEvent): ChainFailure | null {
    this.count++;
    if (this.broken.has(event.stream)) return null;
    const head = this.heads.get(event.stream) ?? { hash: GENESIS_HASH, next: 0n };
    const at = { stream: event.stream, revision: event.revision.toString() };
    let failure: ChainFailure | null = null;
    if (event.revision !== head.next) failure = { ...at, reason: 'revision-gap', detail: `expected revision ${head.next}, found ${event.revision}` };
    else if (event.metadata.prevHash !== head.hash) failure = { ...at, reason: 'prev-hash-mismatch', detail: 'prevHash does not match the hash of the previous event' };
    else if (eventHash(event) !== event.metadata.hash) failure = { ...at, reason: 'hash-mismatch', detail: 'the event content does not match its hash' };
    if (failure) {
      this.broken.set(event.stream, failure);
      return failure;
    }
    this.heads.set(event.stream, { hash: event.metadata.hash, next: event.revision + 1n });
    return null;
  }

  /** Hash and next revision of a stream's last good event (export seals use it). */
  head(stream: string): { readonly hash: string; readonly next: bigint } | undefined {
    return this.heads.get(stream);
  }

  get events(): number {
    return this.count;
  }

  get streams(): number {
    return new Set([...this.heads.keys(), ...this.broken.keys()]).size;
  }

  failures(): ChainFailure[] {
    return [...this.broken.values()];
  }
}

/**
 * Walks one stream's events in order and returns the first break in its chain, or null.
 * Used by the offline `audit verify` command and by the tests.
 */
export function verifyChain(events: Iterable<VerifiableEvent>): ChainFailure | null {
  const tracker = new ChainTracker();
  for (const event of events) {
    const failure = tracker.check(event);
    if (failure) return failure;
  }
  return null;
}
