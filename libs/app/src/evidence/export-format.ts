import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, type RecordedEvent } from '@asiointitili/core';
import type { PublicJwk } from '../keys';

/**
 * The sealed export of one stream, as JSON lines:
 *
 *   one line per event, oldest first, in canonical JSON:
 *     { stream, revision, position, id, type, data, metadata }   (revision and position as decimal strings;
 *                                                                 metadata holds prevHash and hash)
 *   then one seal line:
 *     { seal: <compact JWS over SealPayload>, kid, jwk }         (jwk: the public key, so the file checks standalone)
 *
 * The hash chain (libs/core/src/integrity) covers each event's content; the seal covers the count,
 * the last hash and a digest of the event lines, so a removed tail, a rewritten chain or an edited
 * field outside the chain (the global position) is caught too.
 */
export const EXPORT_FORMAT = 'asiointitili-export/1';
/** JWS `typ` of a seal, so neither a proof nor a token can pass for one. */
export const SEAL_TYPE = 'asiointitili-export-seal+jws';

export interface ExportedEvent {
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>> & { readonly prevHash: string; readonly hash: string };
}

/** The members of an event line, no more and no less. */
export const EVENT_LINE_MEMBERS: readonly (keyof ExportedEvent)[] = ['stream', 'revision', 'position', 'id', 'type', 'data', 'metadata'];

export interface SealPayload {
  readonly format: typeof EXPORT_FORMAT;
  readonly stream: string;
  /** How many event lines precede the seal. */
  readonly events: number;
  /** Hash of the last event: the head of the chain the seal vouches for. */
  readonly lastHash: string;
  /** SHA-256 (hex) over the event lines exactly as written, each followed by "\n". */
  readonly eventsSha256: string;
  readonly exportedAt: string;
}

export interface SealLine {
  readonly seal: string;
  readonly kid: string;
  readonly jwk: PublicJwk;
}

/** The line of one event (without its newline). Canonical, so a verifier can tell an edited line from an intact one. */
export function eventLineOf(event: RecordedEvent): string {
  const exported: ExportedEvent = {
    stream: event.stream,
    revision: event.revision.toString(),
    position: event.position.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
  return canonicalJson(exported);
}

/** SHA-256 over event lines as the seal's `eventsSha256` states it: incremental, so an export of any size needs constant memory. */
export class EventLinesDigest {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  add(line: string): void {
    this.hash.update(`${line}\n`, 'utf8');
    this.count++;
  }

  get lines(): number {
    return this.count;
  }

  /** The hex digest; the digest cannot take more lines afterwards. */
  value(): string {
    return this.hash.digest('hex');
  }
}
