import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ProblemException, problem } from '../http/problem';
import { ConcurrencyGate, GateRefused } from '../security/concurrency-gate';
import { addressKeyOf } from '../security/rate-limit/client-address';
import { TokenBucketStorage } from '../security/rate-limit/token-bucket-storage';
import { APP_CONFIG } from '../write/tokens';

const MINUTE_MS = 60_000;
/** How long a check may wait for a place before the caller is told to come back (503). */
export const SECRET_CHECK_MAX_WAIT_MS = 2_000;

/**
 * What the slow secret checks of POST /v1/auth/token may cost. A check (scrypt, or the decoy for
 * an unknown client) takes a core for tens of milliseconds, and anyone can ask for one, so:
 *
 * - per client address, RATE_LIMIT_TOKEN_PER_MINUTE checks a minute (429 beyond);
 * - per client address, SECRET_CHECKS_PER_ADDRESS checks running or waiting at once (429 beyond):
 *   one address cannot hold the line;
 * - in the process, SECRET_CHECKS_AT_ONCE checks run at once (half the cores by default, so the
 *   other half keeps serving everyone else) and SECRET_CHECKS_WAITING wait, each at most
 *   2 s; beyond, 503 with Retry-After: the service is not down, only its slow door is busy.
 *
 * Requests refused before the check (malformed, no such client id shape) spend nothing.
 */
@Injectable()
export class SecretCheckBudget {
  private readonly windows = new TokenBucketStorage();
  private readonly perMinute: number;
  private readonly gate: ConcurrencyGate;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'rateLimit'>) {
    this.perMinute = config.rateLimit.tokenEndpointPerMinute;
    this.gate = new ConcurrencyGate({
      atOnce: config.rateLimit.secretChecksAtOnce,
      waiting: config.rateLimit.secretChecksWaiting,
      perKey: config.rateLimit.secretChecksPerAddress,
      maxWaitMs: SECRET_CHECK_MAX_WAIT_MS,
    });
  }

  /** Runs one slow check for the address within the budget, or refuses with 429/503 and Retry-After. */
  async check<T>(address: string | undefined, work: () => Promise<T>): Promise<T> {
    const key = addressKeyOf(address);
    await this.spend(key);
    try {
      return await this.gate.run(key, work);
    } catch (error) {
      if (!(error instanceof GateRefused)) throw error;
      if (error.reason === 'key') {
        throw refusal(429, 'rate-limited', 'slow_down', 'This address already has token requests in progress; wait for their answers.', 1);
      }
      throw refusal(503, 'secret-checks-busy', 'temporarily_unavailable', 'The token endpoint is busy; retry shortly.', 1);
    }
  }

  /** Places taken now, for tests. */
  get load() {
    return this.gate.load;
  }

  private async spend(key: string): Promise<void> {
    const record = await this.windows.increment(key, MINUTE_MS, this.perMinute);
    if (!record.isBlocked) return;
    const seconds = Math.max(1, record.timeToBlockExpire);
    throw refusal(429, 'rate-limited', 'slow_down', `Too many token requests from this address: the limit is ${this.perMinute} a minute. Retry after ${seconds} s.`, seconds);
  }
}

function refusal(status: 429 | 503, code: string, error: string, detail: string, seconds: number): ProblemException {
  return new ProblemException(problem(status, code, detail, { error, retryAfterSeconds: seconds }), {
    'Retry-After': String(seconds),
    'Cache-Control': 'no-store',
  });
}
