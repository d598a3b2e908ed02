import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ProblemException, problem } from '../../http/problem';

/**
 * @nestjs/throttler's guard, answering in this API's own terms: a 429 problem with the seconds to
 * wait in `Retry-After` (RFC 9110 §10.2.3) and in the body. Registered as the first global guard,
 * so that requests with bad tokens are counted (against their address) before the AuthGuard
 * refuses them. Keys and limits come from rateLimitOptions.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    throw new ProblemException(
      problem(429, 'rate-limited', `Too many requests: the limit is ${detail.limit} a minute. Retry after ${seconds} s.`, { retryAfterSeconds: seconds }),
      { 'Retry-After': String(seconds) },
    );
  }
}
