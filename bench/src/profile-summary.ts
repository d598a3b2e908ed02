import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface ProfileLine {
  readonly function: string;
  readonly location: string;
  readonly selfMs: number;
  readonly selfPercent: number;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The top functions by self time of a V8 .cpuprofile (what `node --cpu-prof` writes): each
 * sample's time delta is charged to the function on top of the stack, summed per function and
 * location. "(idle)" is the event loop waiting, "(program)" native work outside JS (SQLite,
 * fsync, the HTTP parser), "(garbage collector)" GC.
 */
export function summariseProfile(file: string, top = 15): ProfileLine[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, { fn: string; location: string; micros: number }>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const frame = byNode.get(id)?.callFrame;
    const fn = frame?.functionName || '(anonymous)';
    const location = frame?.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${fn}@${location}`;
    const entry = selfMicros.get(key) ?? { fn, location, micros: 0 };
    entry.micros += delta;
    selfMicros.set(key, entry);
  });
  return topLines(selfMicros.values(), total, top);
}

/**
 * The top functions by inclusive time: each sample's time is charged once to every distinct
 * function on its stack, so a caller's share includes what it called (e.g. the whole send
 * handler, with its stream reads and appends). Reported in the same shape as self time.
 */
export function summariseInclusive(file: string, top = 40): ProfileLine[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const totals = new Map<string, { fn: string; location: string; micros: number }>();
  let total = 0;
  profile.samples.forEach((leaf, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
      const frame = byNode.get(id)?.callFrame;
      const fn = frame?.functionName || '(anonymous)';
      if (fn === '(root)') continue;
      const location = frame?.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${fn}@${location}`;
      if (seen.has(key)) continue; // recursion: charged once per sample
      seen.add(key);
      const entry = totals.get(key) ?? { fn, location, micros: 0 };
      entry.micros += delta;
      totals.set(key, entry);
    }
  });
  return topLines(totals.values(), total, top);
}

/** The `top` functions by time, with their share of all sampled time. */
function topLines(entries: Iterable<{ fn: string; location: string; micros: number }>, total: number, top: number): ProfileLine[] {
  return [...entries]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map((entry) => ({
      function: entry.fn,
      location: entry.location,
      selfMs: Math.round(entry.micros / 1000),
      selfPercent: total === 0 ? 0 : Math.round((entry.micros / total) * 1000) / 10,
    }));
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules);
  return path.startsWith('/') ? relative(process.cwd(), path) : path;
}

/** Prints a profile as a markdown table (`measure`: what the time columns hold, self or inclusive). */
export function profileTable(lines: readonly ProfileLine[], measure: 'self' | 'inclusive' = 'self'): string {
  return [
    `| ${measure} % | ${measure} ms | function | where |`,
    '|---:|---:|---|---|',
    ...lines.map((line) => `| ${line.selfPercent} | ${line.selfMs} | \`${line.function}\` | ${line.location} |`),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const inclusive = args.includes('--inclusive');
  const [file, top] = args.filter((arg) => arg !== '--inclusive');
  if (!file) {
    process.stderr.write('usage: node dist/bench/src/profile-summary.js [--inclusive] <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const lines = inclusive ? summariseInclusive(file, top ? Number(top) : 40) : summariseProfile(file, top ? Number(top) : 25);
  process.stdout.write(`${profileTable(lines, inclusive ? 'inclusive' : 'self')}\n`);
}
