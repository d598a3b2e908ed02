import { resolve } from 'node:path';
import type { CliEnv } from './command';

/** The same default as the server (API.md, Configuration), so both find the same keys. */
export const DEFAULT_DATA_DIR = './data';

/** DATA_DIR from the environment, resolved against the working directory. */
export function dataDirOf(env: CliEnv): string {
  const value = env.vars.DATA_DIR?.trim();
  return resolve(value ? value : DEFAULT_DATA_DIR);
}

/** KEYS_DIR from the environment (resolved), or undefined: the keys are then in `<DATA_DIR>/keys`. */
export function keysDirOf(env: CliEnv): string | undefined {
  const value = env.vars.KEYS_DIR?.trim();
  return value ? resolve(value) : undefined;
}
