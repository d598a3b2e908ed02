import type { SealedContact } from '@asiointitili/domain';
import { MalformedEnvelopeError } from './errors';
import type { PersonalDataVault } from './personal-data-vault';

/** How to reach a person, as they gave it. Only ever in memory, in the vault's envelope, or in an answer to that person. */
export interface ContactDetails {
  readonly email?: string;
  readonly phone?: string;
}

/** Seals what was given, as one envelope; undefined when neither an email nor a phone was given. */
export async function sealContact(vault: PersonalDataVault, citizenRef: string, details: ContactDetails): Promise<SealedContact | undefined> {
  const { email, phone } = details;
  if (email === undefined && phone === undefined) return undefined;
  return vault.seal(citizenRef, JSON.stringify({ ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone }) }));
}

/**
 * The details in an account's envelope: `{}` when none were given, null when they were erased.
 * Errors (tampering, a lost key store) propagate: they are not the person's choice.
 */
export async function openContact(vault: PersonalDataVault, citizenRef: string, sealed: SealedContact | undefined): Promise<ContactDetails | null> {
  if (sealed === undefined) return {};
  const plaintext = await vault.open(citizenRef, sealed);
  return plaintext === null ? null : parseContact(plaintext);
}

function parseContact(plaintext: string): ContactDetails {
  let value: unknown;
  try {
    value = JSON.parse(plaintext);
  } catch {
    throw new MalformedEnvelopeError('the sealed contact details are not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedEnvelopeError('the sealed contact details are not an object');
  const { email, phone } = value as Record<string, unknown>;
  if ((email !== undefined && typeof email !== 'string') || (phone !== undefined && typeof phone !== 'string')) {
    throw new MalformedEnvelopeError('the sealed contact details have a member that is not text');
  }
  return { ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone }) };
}
