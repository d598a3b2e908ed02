/**
 * What can go wrong when opening personal data, other than erasure (which is an answer, null,
 * not an error). Messages name key ids and counts only: never a citizenRef's data, never plaintext.
 */
export class PersonalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The value is not an envelope this vault wrote (wrong version, missing or badly encoded member). */
export class MalformedEnvelopeError extends PersonalDataError {}

/**
 * AES-GCM refused the envelope: it was altered, sealed for another person, or sealed with another
 * key than the one its `kid` names. Never answered as "erased": that would hide tampering.
 */
export class EnvelopeAuthenticationError extends PersonalDataError {}

/**
 * The person has no key with the envelope's `kid`, erased or not: the key store is not the one the
 * envelope was sealed with (a lost or wrong key store), or the envelope belongs to someone else.
 */
export class PersonKeyNotFoundError extends PersonalDataError {}

/** A stored data key was wrapped with another master key than this process has (PERSONAL_DATA_MASTER_KEY differs). */
export class MasterKeyMismatchError extends PersonalDataError {}

/** The master key configuration is unusable; the process must not start. The message names the variable or file. */
export class MasterKeyConfigurationError extends PersonalDataError {}

/** A wrapped data key does not unwrap under the right master key: its store entry was altered or moved to another person. */
export class PersonKeyIntegrityError extends PersonalDataError {}
