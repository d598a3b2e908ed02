import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import type { Principal } from '../../auth/principal';
import { IS_PUBLIC } from '../../auth/public.decorator';
import type { TokenVerifier } from '../../auth/token-verifier';
import { verifiedPrincipalOf } from '../../auth/verified-principal';
import type { RateLimitConfig } from '../../config/app-config';
import { addressKeyOf } from './client-address';
import type { TokenBucketStorage } from './token-bucket-storage';

const MINUTE_MS = 60_000;

type LimitedRequest = AuthenticatedRequest & { readonly ip?: string };

/**
 * One limit per minute on every request, keyed by the verified principal (role and id: an
 * agency's integrations share one budget) or, with no valid token, by the client address;
 * agencies get RATE_LIMIT_AGENCY_PER_MINUTE, everyone else RATE_LIMIT_PER_MINUTE. (The token
 * endpoint's slow secret checks have a budget of their own: credentials/secret-check-budget.ts.)
 *
 * The principal comes from the same verification the AuthGuard then uses (verifiedPrincipalOf),
 * so no token is verified twice and a forged token cannot spend someone else's budget.
 */
export function rateLimitOptions(limits: RateLimitConfig, verifier: TokenVerifier, reflector: Reflector, storage: TokenBucketStorage): ThrottlerModuleOptions {
  const principalOf = async (context: ExecutionContext): Promise<Principal | undefined> => {
    if (reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return undefined;
    try {
      return await verifiedPrincipalOf(context.switchToHttp().getRequest<LimitedRequest>(), verifier);
    } catch {
      return undefined; // the AuthGuard answers for the token; here it only counts against the address
    }
  };
  return {
    storage,
    setHeaders: false,
    generateKey: (_context, tracker, name) => `${name}|${tracker}`,
    throttlers: [
      {
        name: 'principal',
        ttl: MINUTE_MS,
        limit: async (context) => ((await principalOf(context))?.role === 'agency' ? limits.agencyPerMinute : limits.perMinute),
        getTracker: async (request, context) => {
          const principal = await principalOf(context);
          return principal ? principalKeyOf(principal) : addressKeyOf((request as LimitedRequest).ip);
        },
      },
    ],
  };
}

export function principalKeyOf(principal: Principal): string {
  switch (principal.role) {
    case 'citizen':
      return `citizen:${principal.citizenRef}`;
    case 'agency':
      return `agency:${principal.agencyId}`;
    case 'auditor':
    case 'admin':
      return `${principal.role}:${principal.subject}`;
  }
}
