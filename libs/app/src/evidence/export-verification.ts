import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type KeyLike,
} from 'jose';
import { ChainTracker, canonicalJson, type ChainFailure, type VerifiableEvent } from '@asiointitili/core';
import { SIGNING_ALGORITHM } from '../keys';
import { EVENT_LINE_MEMBERS, EXPORT_FORMAT, EventLinesDigest, SEAL_TYPE, type SealPayload } from './export-format';

/** Why a line is bad; stable names a script may switch on. */
export type ExportProblem =
  | 'empty-export'
  | 'empty-line'
  | 'not-json'
  | 'not-an-event'
  | 'not-canonical'
  | 'foreign-stream'
  | ChainFailure['reason']
  | 'position-order'
  | 'line-after-seal'
  | 'missing-seal'
  | 'seal-malformed'
  | 'seal-key-mismatch'
  | 'seal-foreign-key'
  | 'seal-signature'
  | 'seal-mismatch';

export interface ExportFailure {
  readonly ok: false;
  /** 1-based number of the first bad line. */
  readonly line: number;
  readonly problem: ExportProblem;
  readonly detail: string;
}

export interface ExportIntact {
  readonly ok: true;
  readonly stream: string;
  readonly events: number;
  readonly lastHash: string;
  readonly exportedAt: string;
  readonly kid: string;
  /** `jwks`: checked against keys the verifier obtained itself; `embedded`: only against the key the file carries. */
  readonly keySource: 'jwks' | 'embedded';
}

export type ExportVerdict = ExportIntact | ExportFailure;

export interface ExportVerificationOptions {
  /** The evidence keys as published at GET /v1/keys. Without them the seal is checked against the key the export carries. */
  readonly jwks?: JSONWebKeySet;
}

const HEX_64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

/**
 * Checks a sealed export (export-format.ts) with nothing but the file and, optionally, a JWKS:
 * each line's shape and canonical form, the hash chain (ChainTracker from @asiointitili/core), the
 * order of positions, and the seal's signature, count, last hash and digest of the event lines.
 * Stops at the first bad line and names it, 1-based.
 *
 * What it cannot tell: a chain rewritten consistently from some line on (hashes are not secret)
 * verifies line by line and is caught only by the seal, which is then the line named.
 */
export async function verifySealedExport(lines: AsyncIterable<string> | Iterable<string>, options: ExportVerificationOptions = {}): Promise<ExportVerdict> {
  const tracker = new ChainTracker();
  const digest = new EventLinesDigest();
  let stream: string | undefined;
  let lastHash: string | undefined;
  let lastPosition: bigint | undefined;
  let seal: { readonly line: number; readonly value: Record<string, unknown> } | undefined;
  let number = 0;

  for await (const text of lines) {
    number++;
    const fail = (problem: ExportProblem, detail: string): ExportFailure => ({ ok: false, line: number, problem, detail });
    if (seal) return fail('line-after-seal', `line ${seal.line} is the seal; nothing may follow it (lines were appended)`);
    if (text.length === 0) return fail('empty-line', 'an empty line inside the export');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail('not-json', 'the line is not JSON (it was edited or cut)');
    }
    if (!isRecord(parsed)) return fail('not-an-event', 'the line is not a JSON object');
    if (Object.hasOwn(parsed, 'seal')) {
      seal = { line: number, value: parsed };
      continue;
    }
    const event = asEvent(parsed);
    if (typeof event === 'string') return fail('not-an-event', event);
    if (canonicalJson(parsed) !== text) return fail('not-canonical', 'the line is not in the canonical form the export writes (it was edited)');
    stream ??= event.stream;
    if (event.stream !== stream) return fail('foreign-stream', `the event belongs to ${event.stream}, the export to ${stream}`);
    const broken = tracker.check(event);
    if (broken) return fail(broken.reason, `revision ${broken.revision}: ${broken.detail}`);
    if (lastPosition !== undefined && event.position <= lastPosition) {
      return fail('position-order', `position ${event.position} is not after the previous event's ${lastPosition}`);
    }
    lastPosition = event.position;
    lastHash = event.metadata.hash;
    digest.add(text);
  }

  if (number === 0) return { ok: false, line: 1, problem: 'empty-export', detail: 'the file is empty' };
  if (!seal) return { ok: false, line: number + 1, problem: 'missing-seal', detail: `the export ends after line ${number} without a seal: it is truncated` };
  return checkSeal(seal.line, seal.value, { stream, events: digest.lines, lastHash, eventsSha256: digest.value() }, options);
}

interface Observed {
  readonly stream: string | undefined;
  readonly events: number;
  readonly lastHash: string | undefined;
  readonly eventsSha256: string;
}

async function checkSeal(line: number, value: Record<string, unknown>, observed: Observed, options: ExportVerificationOptions): Promise<ExportVerdict> {
  const fail = (problem: ExportProblem, detail: string): ExportFailure => ({ ok: false, line, problem, detail });
  const { seal, kid, jwk } = value;
  if (typeof seal !== 'string' || typeof kid !== 'string' || !isRecord(jwk)) return fail('seal-malformed', 'the seal line needs a compact JWS `seal`, a `kid` and a `jwk`');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(seal);
  } catch {
    return fail('seal-malformed', 'the seal is not a compact JWS');
  }
  if (header.typ !== SEAL_TYPE || header.alg !== SIGNING_ALGORITHM) {
    return fail('seal-malformed', `the seal's header must say typ ${SEAL_TYPE} and alg ${SIGNING_ALGORITHM}`);
  }
  if (header.kid !== kid) return fail('seal-key-mismatch', `the seal is signed by key ${String(header.kid)}, the line names ${kid}`);

  let payloadBytes: Uint8Array;
  try {
    payloadBytes = options.jwks ? await verifyWithJwks(seal, options.jwks) : await verifyWithEmbeddedKey(seal, kid, jwk);
  } catch (error) {
    if (error instanceof SealKeyError) return fail(error.problem, error.message);
    if (error instanceof joseErrors.JWKSNoMatchingKey) return fail('seal-foreign-key', `the seal is signed by key ${kid}, which the given JWKS does not hold`);
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return fail('seal-signature', 'the seal\'s signature does not verify: the seal or its key was altered');
    if (error instanceof joseErrors.JOSEError) return fail('seal-signature', `the seal does not verify: ${error.message}`);
    throw error;
  }

  let payload: Partial<SealPayload>;
  try {
    payload = JSON.parse(new TextDecoder().decode(payloadBytes)) as Partial<SealPayload>;
  } catch {
    return fail('seal-malformed', 'the seal\'s payload is not JSON');
  }
  if (payload.format !== EXPORT_FORMAT) return fail('seal-malformed', `the seal is not of format ${EXPORT_FORMAT}`);
  const differences = [
    payload.stream !== observed.stream ? `stream ${String(payload.stream)} vs ${String(observed.stream)}` : null,
    payload.events !== observed.events ? `${String(payload.events)} events vs ${observed.events} lines` : null,
    payload.lastHash !== observed.lastHash ? `last hash ${String(payload.lastHash)} vs ${String(observed.lastHash)}` : null,
    payload.eventsSha256 !== observed.eventsSha256 ? 'the digest of the event lines differs' : null,
  ].filter((difference): difference is string => difference !== null);
  if (differences.length > 0 || observed.stream === undefined || observed.lastHash === undefined) {
    return fail('seal-mismatch', `the seal does not match the lines before it (${differences.join('; ') || 'no events'}): lines were removed, rewritten or belong to another export`);
  }
  return {
    ok: true,
    stream: observed.stream,
    events: observed.events,
    lastHash: observed.lastHash,
    exportedAt: String(payload.exportedAt),
    kid,
    keySource: options.jwks ? 'jwks' : 'embedded',
  };
}

class SealKeyError extends Error {
  constructor(
    readonly problem: ExportProblem,
    message: string,
  ) {
    super(message);
  }
}

async function verifyWithJwks(seal: string, jwks: JSONWebKeySet): Promise<Uint8Array> {
  const { payload } = await compactVerify(seal, createLocalJWKSet(jwks), { algorithms: [SIGNING_ALGORITHM] });
  return payload;
}

/** The embedded key must be the one its kid names (RFC 7638 thumbprint), or any key could sign under a trusted kid. */
async function verifyWithEmbeddedKey(seal: string, kid: string, jwk: Record<string, unknown>): Promise<Uint8Array> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || 'd' in jwk) {
    throw new SealKeyError('seal-malformed', 'the embedded key is not a public Ed25519 JWK');
  }
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  if (thumbprint !== kid) throw new SealKeyError('seal-key-mismatch', `the embedded key's thumbprint is ${thumbprint}, not the kid ${kid}`);
  const key = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x } as JWK, SIGNING_ALGORITHM)) as KeyLike;
  const { payload } = await compactVerify(seal, key, { algorithms: [SIGNING_ALGORITHM] });
  return payload;
}

/** The event of a line, or what is wrong with its shape. */
function asEvent(value: Record<string, unknown>): (VerifiableEvent & { readonly position: bigint }) | string {
  const keys = Object.keys(value);
  const unexpected = keys.filter((key) => !(EVENT_LINE_MEMBERS as readonly string[]).includes(key));
  const missing = EVENT_LINE_MEMBERS.filter((key) => !keys.includes(key));
  if (unexpected.length > 0 || missing.length > 0) {
    return `an event line has exactly the members ${EVENT_LINE_MEMBERS.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${unexpected.length ? `; unexpected ${unexpected.join(', ')}` : ''}`;
  }
  const { stream, revision, position, id, type, data, metadata } = value;
  if (typeof stream !== 'string' || typeof id !== 'string' || typeof type !== 'string') return 'stream, id and type must be strings';
  if (typeof revision !== 'string' || !DECIMAL.test(revision) || typeof position !== 'string' || !DECIMAL.test(position)) {
    return 'revision and position must be decimal strings';
  }
  if (!isRecord(data) || !isRecord(metadata)) return 'data and metadata must be objects';
  const { prevHash, hash } = metadata;
  if (typeof prevHash !== 'string' || !HEX_64.test(prevHash) || typeof hash !== 'string' || !HEX_64.test(hash)) {
    return 'metadata.prevHash and metadata.hash must be SHA-256 hex digests';
  }
  return { stream, revision: BigInt(revision), position: BigInt(position), id, type, data, metadata: { ...metadata, prevHash, hash } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
