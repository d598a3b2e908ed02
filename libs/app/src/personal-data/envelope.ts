import type { SealedContact } from '@asiointitili/domain';
import { MalformedEnvelopeError } from './errors';

/** The vault's output: the shape the domain carries as SealedContact (JSON-safe, no `$` keys). */
export type SealedEnvelope = SealedContact;

export const ENVELOPE_VERSION = 1;
/** AES-256-GCM. */
export const DATA_KEY_BYTES = 32;
/** 96-bit nonces, the size GCM is specified for; random per seal (a person seals a handful of values per key). */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const CIPHER = 'aes-256-gcm';

export interface EnvelopeParts {
  readonly kid: string;
  readonly iv: Buffer;
  readonly ct: Buffer;
  readonly tag: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const KID = /^[A-Za-z0-9_-]{1,64}$/;

export const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/**
 * What the ciphertext is bound to besides the key: the person and the key id. An envelope copied
 * into another person's event, or given another `kid`, fails authentication instead of opening.
 */
export function envelopeAssociatedData(citizenRef: string, kid: string): Buffer {
  return Buffer.from(`asiointitili/personal-data/v${ENVELOPE_VERSION}\u0000${citizenRef}\u0000${kid}`, 'utf8');
}

/** The members of an envelope, decoded and checked for form (not yet for authenticity). */
export function decodeEnvelope(value: unknown): EnvelopeParts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedEnvelopeError('a sealed envelope must be an object');
  const envelope = value as Partial<Record<keyof SealedEnvelope, unknown>>;
  if (envelope.v !== ENVELOPE_VERSION) throw new MalformedEnvelopeError(`unknown envelope version ${String(envelope.v)}`);
  if (typeof envelope.kid !== 'string' || !KID.test(envelope.kid)) throw new MalformedEnvelopeError('the envelope has no valid kid');
  const iv = decodeMember(envelope.iv, 'iv');
  const ct = decodeMember(envelope.ct, 'ct');
  const tag = decodeMember(envelope.tag, 'tag');
  if (iv.length !== IV_BYTES) throw new MalformedEnvelopeError(`the envelope's iv must be ${IV_BYTES} bytes`);
  if (tag.length !== TAG_BYTES) throw new MalformedEnvelopeError(`the envelope's tag must be ${TAG_BYTES} bytes`);
  return { kid: envelope.kid, iv, ct, tag };
}

/** Strict base64url: Buffer.from would skip foreign characters silently and open something else. */
function decodeMember(value: unknown, name: string): Buffer {
  if (typeof value !== 'string' || !BASE64URL.test(value)) throw new MalformedEnvelopeError(`the envelope's ${name} is not base64url`);
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) throw new MalformedEnvelopeError(`the envelope's ${name} is not canonical base64url`);
  return bytes;
}
