import { installModuleAliases } from '../../libs/app/src/process/module-aliases';
installModuleAliases(); // before any @asiointitili/* import is resolved
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { API_SCRIPT, caughtUp } from './api-server';
import { ChildServer, sleep } from './child-server';
import { AGENCY_ID, openBenchRuntime, prepareData } from './fixture';
import { describeMachine } from './machine';
import { seedMessages } from './seed';
import { round, summarise, type LatencySummary } from './stats';

/**
 * `npm run bench:flood`: what a flood of bad token requests does to a citizen reading the inbox.
 *
 * One citizen reads GET /v1/citizen/messages one request after another (a person clicking, not a
 * load test) while nothing else happens (quiet), then while attackers keep POST /v1/auth/token
 * busy with well-formed client ids that do not exist (each costs a decoy scrypt hash). Two
 * attacks: one address with 8 requests always in flight (the outside probe's), and 64 in flight
 * from as many addresses (X-Forwarded-For through one trusted proxy hop), which only the
 * process-wide bound can stop. Each runs against the server as configured by default and, for
 * comparison, with the bounds lifted (as it was before them). The figure is the ratio of the
 * inbox latency under attack to quiet.
 */

interface Phase {
  readonly name: string;
  readonly inbox: LatencySummary;
  readonly ratioP50: number;
  readonly ratioP99: number;
  readonly tokenAnswers: Readonly<Record<string, number>>;
  readonly tokenRequestsPerSecond: number;
}

const PHASE_S = Number(process.env.FLOOD_PHASE_SECONDS ?? 10);
const UNBOUNDED = { SECRET_CHECKS_AT_ONCE: '256', SECRET_CHECKS_WAITING: '10000', SECRET_CHECKS_PER_ADDRESS: '256', RATE_LIMIT_TOKEN_PER_MINUTE: '100000' };

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const data = await prepareData(10);
  const reader = data.readers[0]!;
  const runtime = await openBenchRuntime(data.dataDir);
  await seedMessages(runtime, [reader.hetu], AGENCY_ID, 'flood', 0, 50);
  await runtime.close();
  const report: { machine: ReturnType<typeof describeMachine>; phaseSeconds: number; bounded: Phase[]; unbounded: Phase[] } = {
    machine: describeMachine(),
    phaseSeconds: PHASE_S,
    bounded: [],
    unbounded: [],
  };
  try {
    for (const [label, extra] of [['bounded', {}], ['unbounded', UNBOUNDED]] as const) {
      const server = await ChildServer.start({ script: API_SCRIPT, env: { DATA_DIR: data.dataDir, TRUST_PROXY_HOPS: '1', ...extra }, ready: caughtUp });
      try {
        const inbox = () => timedInbox(server.baseUrl, reader.token);
        await inbox(); // warm
        const quiet = await measure(inbox, async () => ({}), 'quiet');
        report[label].push(phase('quiet', quiet.samples, quiet.samples, quiet.answers, 0));
        for (const [name, inFlight, addresses] of [
          ['8 in flight from one address', 8, 1],
          ['64 in flight from 64 addresses', 64, 64],
        ] as const) {
          const flood = await measure(inbox, (stop) => floodTokens(server.baseUrl, inFlight, addresses, stop), name);
          report[label].push(phase(name, flood.samples, quiet.samples, flood.answers, flood.tokenRate));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(data.dataDir, { recursive: true, force: true });
  }
  printTable(report);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function timedInbox(baseUrl: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/citizen/messages?limit=20`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the inbox answered ${response.status}`);
  return performance.now() - started;
}

/** Reads the inbox for PHASE_S seconds (20 ms apart) while `attack` runs; the attack's answers are counted by status. */
async function measure(
  inbox: () => Promise<number>,
  attack: (stop: () => boolean) => Promise<Record<string, number>>,
  name: string,
): Promise<{ samples: number[]; answers: Record<string, number>; tokenRate: number }> {
  process.stderr.write(`flood: ${name} for ${PHASE_S} s\n`);
  let stopped = false;
  const started = performance.now();
  const attacking = attack(() => stopped);
  await sleep(500); // let the attack reach its steady state
  const samples: number[] = [];
  const until = performance.now() + PHASE_S * 1000;
  while (performance.now() < until) {
    samples.push(await inbox());
    await sleep(20);
  }
  stopped = true;
  const answers = await attacking;
  const total = Object.values(answers).reduce((a, b) => a + b, 0);
  return { samples, answers, tokenRate: round(total / ((performance.now() - started) / 1000), 1) };
}

/** `inFlight` token requests always outstanding, spread over `addresses` client addresses; answers by status. */
async function floodTokens(baseUrl: string, inFlight: number, addresses: number, stop: () => boolean): Promise<Record<string, number>> {
  const answers: Record<string, number> = {};
  let n = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      const address = `198.51.100.${(lane % addresses) + 1}`;
      while (!stop()) {
        const clientId = `${AGENCY_ID}.${String(n++).padStart(22, 'A')}`;
        try {
          const response = await fetch(`${baseUrl}/v1/auth/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': address },
            body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'guess' }),
          });
          await response.arrayBuffer();
          answers[response.status] = (answers[response.status] ?? 0) + 1;
        } catch {
          answers.error = (answers.error ?? 0) + 1;
        }
      }
    }),
  );
  return answers;
}

function phase(name: string, samples: number[], quiet: number[], answers: Record<string, number>, tokenRate: number): Phase {
  const inbox = summarise(samples);
  const calm = summarise(quiet);
  return { name, inbox, ratioP50: round(inbox.p50 / calm.p50, 1), ratioP99: round(inbox.p99 / calm.p99, 1), tokenAnswers: answers, tokenRequestsPerSecond: tokenRate };
}

function printTable(report: { machine: ReturnType<typeof describeMachine>; bounded: Phase[]; unbounded: Phase[] }): void {
  const m = report.machine;
  const lines = [
    `machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}, load average ${m.loadAverage}`,
    '| server | phase | inbox p50 ms | inbox p99 ms | inbox max ms | p50 / quiet | p99 / quiet | token answers | token req/s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const label of ['bounded', 'unbounded'] as const) {
    for (const p of report[label]) {
      const answers = Object.entries(p.tokenAnswers).map(([s, c]) => `${s}: ${c}`).join(', ') || '–';
      lines.push(`| ${label} | ${p.name} | ${p.inbox.p50} | ${p.inbox.p99} | ${p.inbox.max} | ${p.ratioP50} | ${p.ratioP99} | ${answers} | ${p.tokenRequestsPerSecond || '–'} |`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`flood failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
