import { Logger, type INestApplication } from '@nestjs/common';
import { DEFAULT_OIDC_CLAIMS } from '../config/app-config';
import { tokenModeOf } from '../auth/token-mode';
import { TokenService } from '../auth/token-service';
import type { Runtime } from '../runtime/runtime';
import { bff, type BearerFor } from './bff';
import { devIdentityProvider } from './dev-identity-provider';
import { OidcRelyingParty, SignInError } from './oidc-relying-party';
import { defaultWebRoot, staticWeb } from './static-web';
import { WebSessions } from './web-sessions';

/** How long a session on the development key lasts at most (its bearer token's lifetime): a working day. */
export const WEB_SESSION_MAX_SECONDS = 8 * 60 * 60;

/**
 * The citizen's web inbox on the HTTP application: the built front end at `/`, the sign-in and
 * session routes under `/auth`, the session cookie turned into a bearer token for `/v1/citizen`
 * and `/v1/attachments`, and, without OIDC_ISSUER, the development identity provider at `/oidc`.
 * Installed before the JSON body parser and Nest's routes.
 */
export function mountWeb(app: INestApplication, runtime: Runtime): void {
  const { config } = runtime;
  const web = config.web;
  const logger = new Logger('Web');
  const mode = tokenModeOf(config.auth);
  const dev = web.oidc ? undefined : devIdentityProvider({ publicUrl: web.publicUrl, trustProxy: config.trustProxyHops > 0, citizenRefs: runtime.citizenRefs });
  const provider = web.oidc ?? dev!;
  const tokens = new TokenService(runtime.keyRing, runtime.citizenRefs, runtime.clock);
  const relyingParty = new OidcRelyingParty({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: `${web.publicUrl}/auth/callback`,
    ...(dev ? { backChannelOrigin: `http://127.0.0.1:${config.port}` } : {}),
  });
  const apiTrustsProvider = web.oidc !== undefined && mode.oidc !== undefined && sameIssuer(mode.oidc.issuer, web.oidc.issuer) && mode.oidc.audience === web.oidc.clientId;
  let bearerFor: BearerFor;
  let signInOn = true;
  if (apiTrustsProvider) {
    // The provider's own ID token: the API verifies it with AUTH_JWKS_URL, as it would from any client.
    bearerFor = async ({ idToken, claims }) => ({ bearer: idToken, expiresAt: Number(claims.exp) * 1000 });
  } else if (mode.devRoles.includes('citizen')) {
    // The development key signs citizens here: the session's token is a development token with the very hetu, acr and amr the provider stated.
    bearerFor = async ({ principal }) => ({
      bearer: await tokens.mint({ role: 'citizen', hetu: principal.hetu, acr: principal.acr, amr: principal.amr, ttlSeconds: WEB_SESSION_MAX_SECONDS }),
      expiresAt: runtime.clock.now().getTime() + WEB_SESSION_MAX_SECONDS * 1000,
    });
  } else {
    // The API would refuse every session's token: sign-in stays off (and says why) rather than stopping the API.
    const why = `web sign-in is off: the API accepts citizen tokens only from ${mode.oidc?.issuer ?? 'no provider'} (AUTH_ISSUER, AUTH_AUDIENCE ${mode.oidc?.audience ?? 'unset'}); set OIDC_ISSUER to that issuer and OIDC_CLIENT_ID to that audience`;
    logger.warn(why);
    signInOn = false;
    bearerFor = async () => {
      throw new SignInError(why);
    };
  }
  const sessions = new WebSessions(runtime.clock, web.sessionIdleSeconds);
  const { routes, sessionBearer } = bff({
    sessions,
    relyingParty,
    citizenRefs: runtime.citizenRefs,
    claimNames: mode.oidc?.claims ?? DEFAULT_OIDC_CLAIMS,
    bearerFor,
    secureCookies: web.secureCookies,
    publicUrl: web.publicUrl,
    consentPolicy: config.consentPolicy,
  });
  if (dev && config.auth.production) logger.warn('the development identity provider is on in production (ALLOW_DEV_TOKENS=true): anyone can sign in as any henkilötunnus; set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  if (dev && signInOn) app.use(dev.router);
  app.use(routes);
  app.use(sessionBearer);
  app.use(staticWeb(web.webRoot ?? defaultWebRoot()));
  logger.log(
    `web inbox at ${web.publicUrl}/; sign-in through ${dev ? `the development identity provider at ${dev.issuer} (not for production)` : web.oidc!.issuer}; session cookies ${web.secureCookies ? 'Secure' : 'not Secure (plain-http localhost)'}`,
  );
}

const sameIssuer = (a: string, b: string): boolean => a.replace(/\/$/, '') === b.replace(/\/$/, '');
