import { ConfigError, integer, nonEmpty, url } from '../config/app-config';

type Env = Readonly<Record<string, string | undefined>>;

/** An external OpenID Connect provider the web inbox signs citizens in with (production). */
export interface WebOidcClientConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface WebConfig {
  /** Where browsers reach this service (`PUBLIC_URL`, default `http://localhost:<PORT>`): redirect URIs and the embedded provider's issuer derive from it. */
  readonly publicUrl: string;
  /** Set: citizens sign in through this provider; unset: the service is its own development identity provider at `/oidc`. */
  readonly oidc?: WebOidcClientConfig;
  /** A signed-in session ends after this many idle seconds (`WEB_SESSION_IDLE_SECONDS`). */
  readonly sessionIdleSeconds: number;
  /** `Secure` on the cookies: always, except for plain-http `localhost` development. */
  readonly secureCookies: boolean;
  /** Where the built front end is (`WEB_ROOT`, default `dist/web` in the checkout). */
  readonly webRoot?: string;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The web inbox's configuration. A public address over plain http is refused except on the
 * loopback interface, because the session cookie would then travel unencrypted; the three
 * OIDC_* variables come together or not at all.
 */
export function webConfig(env: Env): WebConfig {
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const publicText = url(env, 'PUBLIC_URL', ['https:', 'http:']) ?? `http://localhost:${port}`;
  const publicUrl = new URL(publicText);
  if (publicUrl.pathname !== '/' || publicUrl.search !== '' || publicUrl.hash !== '') {
    throw new ConfigError('PUBLIC_URL', `must be an origin such as https://asiointi.example.fi (no path), got "${publicText}"`);
  }
  if (publicUrl.protocol === 'http:' && !LOOPBACK.includes(publicUrl.hostname)) {
    throw new ConfigError('PUBLIC_URL', 'must use https:// (plain http only on localhost, where the session cookie cannot be Secure)');
  }
  const issuer = url(env, 'OIDC_ISSUER', ['https:', 'http:']);
  const clientId = nonEmpty(env, 'OIDC_CLIENT_ID');
  const clientSecret = nonEmpty(env, 'OIDC_CLIENT_SECRET');
  const given = [['OIDC_ISSUER', issuer], ['OIDC_CLIENT_ID', clientId], ['OIDC_CLIENT_SECRET', clientSecret]] as const;
  const missing = given.filter(([, value]) => value === undefined).map(([name]) => name);
  if (missing.length > 0 && missing.length < given.length) {
    throw new ConfigError(missing[0], `is required when ${given.filter(([, value]) => value !== undefined).map(([name]) => name).join(' and ')} ${missing.length === 2 ? 'is' : 'are'} set; set all three or none`);
  }
  const webRoot = nonEmpty(env, 'WEB_ROOT');
  return {
    publicUrl: publicUrl.origin,
    ...(issuer && clientId && clientSecret ? { oidc: { issuer: issuer.replace(/\/$/, ''), clientId, clientSecret } } : {}),
    sessionIdleSeconds: integer(env, 'WEB_SESSION_IDLE_SECONDS', 30 * 60, 60, 24 * 60 * 60),
    secureCookies: publicUrl.protocol === 'https:',
    ...(webRoot ? { webRoot } : {}),
  };
}
