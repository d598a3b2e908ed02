import { Logger, type Provider } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { CLOCK, type Clock } from '@asiointitili/core';
import { AccessRecorder } from '../access-log/access-recorder';
import { AuthGuard } from '../auth/auth.guard';
import { IssuerRoutingVerifier, type TrustedIssuer } from '../auth/issuer-routing-verifier';
import { OidcTokenVerifier } from '../auth/oidc-token-verifier';
import { CLIENT_TOKEN_ISSUER, DEV_TOKEN_ISSUER } from '../auth/token-claims';
import { tokenModeOf, type TokenMode } from '../auth/token-mode';
import { TokenService } from '../auth/token-service';
import { TOKEN_VERIFIER, type TokenVerifier } from '../auth/token-verifier';
import type { AppConfig } from '../config/app-config';
import { AgencyCredentials } from '../credentials/agency-credentials';
import { AgencyNetworkGuard } from '../credentials/agency-network.guard';
import { ClientTokenService } from '../credentials/client-token-service';
import { IssueCredentialHandler, RevokeCredentialHandler, SetIpAllowlistHandler } from '../credentials/credential-commands';
import { CredentialsController } from '../credentials/credentials.controller';
import { SecretCheckBudget } from '../credentials/secret-check-budget';
import { TokenController } from '../credentials/token.controller';
import type { Feature } from '../feature';
import { CITIZEN_REFS, type CitizenRefs } from '../identity/citizen-ref';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { rateLimitOptions } from './rate-limit/rate-limit.options';
import { TokenBucketStorage } from './rate-limit/token-bucket-storage';

/**
 * Authentication, machine credentials, rate limits and the access log's recorder, wired from
 * configuration (the access log's interceptor is bound to the audit and admin routes alone:
 * access-log/recorded-routes.ts).
 * Decides the token mode first, so that a production start on the development key fails here,
 * before Nest is created, with a message naming the variables (and says in the log what it
 * accepts). The global guards run in the order listed: rate limit, authentication and roles,
 * agency network.
 */
export function securityFeature(config: AppConfig): Feature {
  const mode = tokenModeOf(config.auth);
  const logger = new Logger('Security');
  if (mode.notice.level === 'warn') logger.warn(mode.notice.text);
  else logger.log(mode.notice.text);
  const storage = new TokenBucketStorage();
  return {
    controllers: [CredentialsController, TokenController],
    providers: [
      AgencyCredentials,
      ClientTokenService,
      SecretCheckBudget,
      AccessRecorder,
      IssueCredentialHandler,
      RevokeCredentialHandler,
      SetIpAllowlistHandler,
      {
        provide: TOKEN_VERIFIER,
        useFactory: (dev: TokenService, clients: ClientTokenService, refs: CitizenRefs, clock: Clock): TokenVerifier => new IssuerRoutingVerifier(trustedIssuers(mode, dev, clients, refs, clock)),
        inject: [TokenService, ClientTokenService, CITIZEN_REFS, CLOCK],
      },
      { provide: getStorageToken(), useValue: storage },
      {
        provide: getOptionsToken(),
        useFactory: (verifier: TokenVerifier, reflector: Reflector) => rateLimitOptions(config.rateLimit, verifier, reflector, storage),
        inject: [TOKEN_VERIFIER, Reflector],
      },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_GUARD, useClass: AgencyNetworkGuard },
    ] satisfies Provider[],
  };
}

export function trustedIssuers(mode: TokenMode, dev: TokenVerifier, clients: TokenVerifier, refs: CitizenRefs, clock: Clock): TrustedIssuer[] {
  const elsewhere = mode.oidc ? `citizens sign in through ${mode.oidc.issuer}; agencies exchange client credentials at POST /v1/auth/token` : undefined;
  return [
    { issuer: DEV_TOKEN_ISSUER, verifier: dev, roles: mode.devRoles, elsewhere },
    { issuer: CLIENT_TOKEN_ISSUER, verifier: clients, roles: ['agency'] },
    ...(mode.oidc ? [{ issuer: mode.oidc.issuer, verifier: new OidcTokenVerifier(mode.oidc, refs, { clock }), roles: ['citizen'] as const }] : []),
  ];
}
