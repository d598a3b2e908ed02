import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, openRuntime, type Runtime } from '@asiointitili/app';
import { TokenService } from '@asiointitili/app/auth/token-service';
import { population } from './population';
import { registerAgency, seedConsentingCitizens } from './seed';

/** The sending agency: the Tax Administration on its tax day. */
export const AGENCY_ID = 'vero';
/** Citizens whose inboxes are read in the inbox phases (tokens are minted up front). */
export const INBOX_READERS = 1_000;

export interface BenchData {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly hetus: readonly string[];
  readonly agencyToken: string;
  /** Tokens of the first INBOX_READERS citizens, with their hetus. */
  readonly readers: ReadonlyArray<{ readonly hetu: string; readonly token: string }>;
  readonly seedSeconds: number;
}

/** `stores`: EVENTSTORE_URL and MONGODB_URL for the production shape; the embedded default without. */
export function openBenchRuntime(dataDir: string, stores: Readonly<Record<string, string>> = {}): Promise<Runtime> {
  const env = { ...stores, DATA_DIR: dataDir };
  return openRuntime(loadConfig(env), { env });
}

/**
 * A fresh DATA_DIR (and, with `stores`, the given event store and read store) with the agency
 * registered and `citizens` consenting citizens, written through
 * the command handlers in this process (before the server starts), and the tokens the load needs,
 * signed with the key the server will find in the same DATA_DIR.
 */
export async function prepareData(citizens: number, stores: Readonly<Record<string, string>> = {}): Promise<BenchData> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asiointitili-bench-'));
  const hetus = population(citizens);
  const runtime = await openBenchRuntime(dataDir, stores);
  try {
    const started = performance.now();
    await registerAgency(runtime, AGENCY_ID);
    await seedConsentingCitizens(runtime, hetus, AGENCY_ID);
    const seedSeconds = (performance.now() - started) / 1000;
    const tokens = new TokenService(runtime.keyRing, runtime.citizenRefs, runtime.clock);
    const agencyToken = await tokens.mint({ role: 'agency', agency: AGENCY_ID });
    const readers = [];
    for (const hetu of hetus.slice(0, INBOX_READERS)) readers.push({ hetu, token: await tokens.mint({ role: 'citizen', hetu }) });
    return { dataDir, env: { ...stores, DATA_DIR: dataDir }, hetus, agencyToken, readers, seedSeconds: Math.round(seedSeconds * 10) / 10 };
  } finally {
    await runtime.close();
  }
}
