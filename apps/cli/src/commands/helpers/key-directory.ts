import { join } from 'node:path';
import { KEY_PURPOSES, KEYS_DIRECTORY, KeyRing, type KeyPurpose } from '@asiointitili/app/keys/key-ring';
import { UsageError, type CliEnv } from '../../command';
import { dataDirOf, keysDirOf } from '../../data-dir';
import { stringOption, type ParsedArgs } from '../../args';

/**
 * The directory an operator's `keys` command works on: `--dir`, else KEYS_DIR, else
 * `<DATA_DIR>/keys`. These commands write (they are how KEYS_DIR is provisioned and rotated), so
 * they run against the secret's source, never a read-only mount.
 */
export function keyDirectoryArgument(parsed: ParsedArgs, env: CliEnv): string {
  return stringOption(parsed, 'dir') ?? keysDirOf(env) ?? join(dataDirOf(env), KEYS_DIRECTORY);
}

export function openKeyDirectory(directory: string): Promise<KeyRing> {
  return KeyRing.openWritable(directory);
}

export function purposeArgument(parsed: ParsedArgs): KeyPurpose {
  const purpose = parsed.positionals[0];
  if (purpose === undefined) throw new UsageError(`name the key: ${KEY_PURPOSES.join(' or ')}`);
  if (!(KEY_PURPOSES as readonly string[]).includes(purpose)) throw new UsageError(`unknown key purpose "${purpose}" (${KEY_PURPOSES.join(' or ')})`);
  return purpose as KeyPurpose;
}
