import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ProblemException, problem } from '../http/problem';
import { addressKeyOf } from '../security/rate-limit/client-address';
import { TokenBucketStorage } from '../security/rate-limit/token-bucket-storage';
import { APP_CONFIG } from '../write/tokens';

const MINUTE_MS = 60_000;

/**
 * How many slow secret checks one client address may cause a minute (RATE_LIMIT_TOKEN_PER_MINUTE).
 * Each costs tens of milliseconds of CPU, so this budget is far below the general one; requests
 * refused before the check (malformed, no such client id shape) do not spend it.
 */
@Injectable()
export class SecretCheckBudget {
  private readonly windows = new TokenBucketStorage();
  private readonly perMinute: number;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'rateLimit'>) {
    this.perMinute = config.rateLimit.tokenEndpointPerMinute;
  }

  /** Spends one check for the address, or refuses with 429 and Retry-After. */
  async spend(address: string | undefined): Promise<void> {
    const record = await this.windows.increment(addressKeyOf(address), MINUTE_MS, this.perMinute);
    if (!record.isBlocked) return;
    const seconds = Math.max(1, record.timeToBlockExpire);
    throw new ProblemException(
      problem(429, 'rate-limited', `Too many token requests from this address: the limit is ${this.perMinute} a minute. Retry after ${seconds} s.`, {
        error: 'slow_down',
        retryAfterSeconds: seconds,
      }),
      { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' },
    );
  }
}
