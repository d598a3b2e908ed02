import { constants, createReadStream, promises as fs } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { verifySealedExport } from '@asiointitili/app/evidence/export-verification';
import { parseArgs, stringOption } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliEnv } from '../command';
import { linesOf } from './helpers/lines';

/** Said whenever no JWKS was given: the file vouching for itself proves integrity, not origin. */
export const EMBEDDED_KEY_NOTICE = 'verified against the key embedded in the export, not an independently obtained key';

/**
 * `audit verify <file> [--jwks <file>]`: checks a sealed export offline. Needs no database, no
 * DATA_DIR and no network: the chain is recomputed from the lines, and the seal is checked against
 * the given JWKS (as published at GET /v1/keys) or else against the key the export carries.
 * Exit 0 when intact; 1 naming the first bad line (1-based) and why.
 */
export const command: CliCommand = {
  name: 'audit verify',
  usage: '<file> [--jwks <file>]',
  summary: 'check a sealed export offline (hash chain, seal, signature); exit 0 when intact, else name the first bad line',
  run,
};

async function run(args: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseArgs(args, { options: { jwks: 'string' }, maxPositionals: 1 });
  const file = parsed.positionals[0];
  if (file === undefined) throw new UsageError('the export file is required');
  const jwksFile = stringOption(parsed, 'jwks');
  const jwks = jwksFile === undefined ? undefined : await readJwks(jwksFile);

  await assertReadable(file);
  const verdict = await verifySealedExport(linesOf(createReadStream(file, { encoding: 'utf8' })), { jwks });
  if (!verdict.ok) {
    env.stdout.write(`NOT intact: line ${verdict.line}: ${verdict.problem}: ${verdict.detail}\n`);
    return EXIT_FAILURE;
  }
  env.stdout.write(`intact: ${verdict.events} events of ${verdict.stream}, last hash ${verdict.lastHash}, sealed ${verdict.exportedAt} by evidence key ${verdict.kid}\n`);
  env.stdout.write(verdict.keySource === 'jwks' ? `verified against key ${verdict.kid} from ${jwksFile}\n` : `${EMBEDDED_KEY_NOTICE}\n`);
  return EXIT_OK;
}

async function assertReadable(file: string): Promise<void> {
  try {
    await fs.access(file, constants.R_OK);
  } catch (error) {
    throw new Error(`cannot read the export ${file}: ${(error as { code?: string }).code ?? String(error)}`);
  }
}

/** A JWKS as GET /v1/keys answers it: `{ keys: [ ... ] }`. */
async function readJwks(file: string): Promise<JSONWebKeySet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the JWKS ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
    throw new Error(`${file} is not a JWKS ({ "keys": [ ... ] }, as GET /v1/keys answers)`);
  }
  return { keys } as JSONWebKeySet;
}
