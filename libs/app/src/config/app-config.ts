import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseClamdUrl } from '../malware/clamd-scanner';
import type { TransportLimits } from '../http/transport-limits';
import { webConfig, type WebConfig } from '../web/web-config';

/**
 * Configuration comes from the environment only (API.md, "Configuration"). Anything invalid
 * stops the process at start with a message naming the variable, before a port is opened.
 */
export interface AppConfig {
  readonly port: number;
  readonly dataDir: string;
  /**
   * KEYS_DIR: a directory provisioned with every key (a secret mounted into each process of a
   * fleet); unset: `<dataDir>/keys`, created on first use. See libs/app/src/keys/key-location.ts.
   */
  readonly keysDir?: string;
  readonly eventStoreUrl?: string;
  /** EVENTSTORE_STREAM_NAMESPACE: EventStoreDB only; the product's streams are stored as `<namespace>.<stream>` (a shared cluster). */
  readonly eventStoreNamespace?: string;
  readonly mongodbUrl?: string;
  /** `consent`: the seed's model (open account + consent per agency). `digital-by-default`: HE 124/2025. */
  readonly consentPolicy: 'consent' | 'digital-by-default';
  /** Largest JSON request body, in bytes (413 above). */
  readonly jsonLimitBytes: number;
  /** How often the time process manager looks for due deadlines, in milliseconds. */
  readonly deadlineIntervalMs: number;
  /** READINESS_MAX_LAG_MS: /health/ready answers 503 when the read models trail the log by more (in time). */
  readonly readinessMaxLagMs: number;
  /** WORKER_LEASE_TTL_MS: a standby worker takes over this long after the active one stopped renewing its lease. */
  readonly workerLeaseTtlMs: number;
  /** WORKER_HEALTH_PORT: the worker process (apps/worker) serves /health/live, /health/ready and /metrics there; unset: no listener. */
  readonly workerHealthPort?: number;
  /** Which tokens are accepted from whom: the citizens' OpenID Connect provider, and how far the development key reaches. */
  readonly auth: AuthConfig;
  /** Requests per minute per principal (per client address without one); 429 above. */
  readonly rateLimit: RateLimitConfig;
  /** Browser origins CORS lets in (`CORS_ORIGINS`, comma-separated); empty: CORS is closed. */
  readonly corsOrigins: readonly string[];
  /** Proxies in front of the API whose X-Forwarded-For is believed; 0: the socket's address is the client's. */
  readonly trustProxyHops: number;
  /** Set (`smtp://` or `smtps://`): email notifications go out over SMTP; unset: to the outbox file in DATA_DIR. */
  readonly smtpUrl?: string;
  /** Time limits for slow clients per route class, and the cap on connections per client address. */
  readonly transport: TransportLimits;
  /** Set (`tcp://host:port`, `unix:///path`): every upload is scanned by clamd; unset: no malware scanning (said at start). */
  readonly malwareScannerUrl?: string;
  /** Sender of email notifications (`address` or `Name <address>`). */
  readonly notifyFrom: string;
  /** Pushing agencies' feeds to their webhooks (docs/webhooks.md). */
  readonly webhooks: WebhookConfig;
  /** The citizen's web inbox at `/`: its public address, its identity provider and its sessions. */
  readonly web: WebConfig;
}

export interface WebhookConfig {
  /** One delivery attempt, from connecting to the answer's status (WEBHOOK_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** First retry after a failure; doubled on each further failure (WEBHOOK_RETRY_BASE_MS). */
  readonly retryBaseMs: number;
  /** Longest wait between two attempts (WEBHOOK_RETRY_MAX_MS); retries go on for as long as the webhook exists. */
  readonly retryMaxMs: number;
  /** How often the dispatcher looks for new feed items (WEBHOOK_INTERVAL_MS). */
  readonly intervalMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    dataDir: resolve(nonEmpty(env, 'DATA_DIR') ?? './data'),
    keysDir: optionalPath(env, 'KEYS_DIR'),
    eventStoreUrl: url(env, 'EVENTSTORE_URL', ['esdb:', 'esdb+discover:', 'postgresql:', 'postgres:']),
    eventStoreNamespace: streamNamespace(env, 'EVENTSTORE_STREAM_NAMESPACE'),
    mongodbUrl: url(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
    consentPolicy: oneOf(env, 'CONSENT_POLICY', ['consent', 'digital-by-default'] as const, 'consent'),
    jsonLimitBytes: integer(env, 'JSON_LIMIT_BYTES', 1024 * 1024, 1024, 16 * 1024 * 1024),
    deadlineIntervalMs: integer(env, 'DEADLINE_INTERVAL_MS', 1000, 10, 3_600_000),
    readinessMaxLagMs: integer(env, 'READINESS_MAX_LAG_MS', DEFAULT_READINESS_MAX_LAG_MS, 100, 86_400_000),
    workerLeaseTtlMs: integer(env, 'WORKER_LEASE_TTL_MS', DEFAULT_WORKER_LEASE_TTL_MS, 500, 600_000),
    workerHealthPort: env.WORKER_HEALTH_PORT === undefined ? undefined : integer(env, 'WORKER_HEALTH_PORT', 0, 1, 65535),
    auth: authConfig(env),
    web: webConfig(env),
    rateLimit: {
      perMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMITS.perMinute, 1, 100_000_000),
      agencyPerMinute: integer(env, 'RATE_LIMIT_AGENCY_PER_MINUTE', DEFAULT_RATE_LIMITS.agencyPerMinute, 1, 100_000_000),
      tokenEndpointPerMinute: integer(env, 'RATE_LIMIT_TOKEN_PER_MINUTE', DEFAULT_RATE_LIMITS.tokenEndpointPerMinute, 1, 100_000),
      secretChecksAtOnce: integer(env, 'SECRET_CHECKS_AT_ONCE', defaultSecretChecksAtOnce(), 1, 256),
      secretChecksWaiting: integer(env, 'SECRET_CHECKS_WAITING', DEFAULT_RATE_LIMITS.secretChecksWaiting, 0, 10_000),
      secretChecksPerAddress: integer(env, 'SECRET_CHECKS_PER_ADDRESS', DEFAULT_RATE_LIMITS.secretChecksPerAddress, 1, 256),
    },
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    malwareScannerUrl: clamdUrl(env, 'MALWARE_SCANNER_URL'),
    transport: transportLimits(env),
    notifyFrom: mailbox(env, 'NOTIFY_FROM', DEFAULT_NOTIFY_FROM),
    webhooks: {
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
      retryMaxMs: integer(env, 'WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
      intervalMs: integer(env, 'WEBHOOK_INTERVAL_MS', 500, 10, 60_000),
    },
  };
}

/** Half a minute: far above the lag of a healthy system under load (milliseconds), well below anyone noticing a missing message. */
export const DEFAULT_READINESS_MAX_LAG_MS = 30_000;

/** Five seconds: a standby takes over within about that (plus one renewal interval, a fifth of it) of the active worker's death. */
export const DEFAULT_WORKER_LEASE_TTL_MS = 5_000;

/** `.invalid` (RFC 2606): a deployment that sends real mail sets its own sender. */
export const DEFAULT_NOTIFY_FROM = 'Asiointitili <noreply@asiointitili.invalid>';

export function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(name, 'is set but empty; unset it or give a value');
  return value.trim();
}

/** Letters, digits, `_` and `-`, starting with a letter (esdb/stream-namespace.ts adds the `.`). */
function streamNamespace(env: Env, name: string): string | undefined {
  const text = nonEmpty(env, name);
  if (text === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,47}$/.test(text)) {
    throw new ConfigError(name, `must be 1–48 letters, digits, "_" or "-", starting with a letter (e.g. asiointitili), got "${text}"`);
  }
  if (!env.EVENTSTORE_URL?.trim().startsWith('esdb')) throw new ConfigError(name, 'applies to EventStoreDB only (EVENTSTORE_URL=esdb://…)');
  return text;
}

function optionalPath(env: Env, name: string): string | undefined {
  const text = nonEmpty(env, name);
  return text === undefined ? undefined : resolve(text);
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new ConfigError(name, `must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const text = nonEmpty(env, name);
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return text;
}

export const DEFAULT_TRANSPORT_LIMITS = { headersTimeoutMs: 10_000, jsonBodyTimeoutMs: 10_000, uploadBodyTimeoutMs: 120_000, maxConnectionsPerAddress: 128 } as const;

function transportLimits(env: Env): TransportLimits {
  const behindProxy = integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10) > 0;
  return {
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', DEFAULT_TRANSPORT_LIMITS.headersTimeoutMs, 1_000, 600_000),
    jsonBodyTimeoutMs: integer(env, 'JSON_BODY_TIMEOUT_MS', DEFAULT_TRANSPORT_LIMITS.jsonBodyTimeoutMs, 1_000, 600_000),
    uploadBodyTimeoutMs: integer(env, 'UPLOAD_BODY_TIMEOUT_MS', DEFAULT_TRANSPORT_LIMITS.uploadBodyTimeoutMs, 1_000, 3_600_000),
    // Behind a proxy every connection comes from the proxy: the cap belongs there (limit_conn), so it is off by default.
    maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', behindProxy ? 0 : DEFAULT_TRANSPORT_LIMITS.maxConnectionsPerAddress, 0, 100_000),
  };
}

function clamdUrl(env: Env, name: string): string | undefined {
  const text = nonEmpty(env, name);
  if (text === undefined) return undefined;
  try {
    parseClamdUrl(text);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  return text;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!(values as readonly string[]).includes(text)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${text}"`);
  return text as T;
}

/** `local@domain` or `Display Name <local@domain>`; no line breaks, which would inject mail headers. */
const ADDRESS = '[^\\s@<>",;]+@[^\\s@<>",;]+\\.[^\\s@<>",;]+';
const MAILBOX = new RegExp(`^(?:${ADDRESS}|[^<>\\r\\n"]{1,100} <${ADDRESS}>)$`);

function mailbox(env: Env, name: string, fallback: string): string {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!MAILBOX.test(text)) throw new ConfigError(name, `must be an email address, optionally as "Name <address>", got "${text}"`);
  return text;
}

// ---------------------------------------------------------------- security (docs/security.md)

export interface OidcConfig {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Names of the claims that carry the henkilötunnus, the level of assurance and the method. */
  readonly claims: { readonly hetu: string; readonly acr: string; readonly amr: string };
}

export interface AuthConfig {
  /** Set (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE): citizens sign in through this provider. */
  readonly oidc?: OidcConfig;
  /** ALLOW_DEV_TOKENS=true: the development key also signs citizen and agency tokens in production. */
  readonly allowDevTokens: boolean;
  /** NODE_ENV=production: refuses to start on the development key alone unless ALLOW_DEV_TOKENS=true. */
  readonly production: boolean;
}

export interface RateLimitConfig {
  /** Citizens, auditors, admins, and clients without a valid token (per address). */
  readonly perMinute: number;
  /** Each agency: its integrations send in bulk. */
  readonly agencyPerMinute: number;
  /** POST /v1/auth/token per client address: every attempt costs a slow hash. */
  readonly tokenEndpointPerMinute: number;
  /** Slow secret checks running at once in this process (default: half the cores, at least 1). */
  readonly secretChecksAtOnce: number;
  /** Slow secret checks that may wait for a place (beyond: 503). */
  readonly secretChecksWaiting: number;
  /** Slow secret checks one client address may have running or waiting (beyond: 429). */
  readonly secretChecksPerAddress: number;
}

/** Half the cores: the other half keeps answering everyone else while the checks are busy. */
export const defaultSecretChecksAtOnce = (): number => Math.max(1, Math.floor(availableParallelism() / 2));

/**
 * Generous on purpose: they stop abuse, not an agency's peak (the benchmark sends thousands of
 * messages a second, i.e. 10,000/s = 600,000 a minute). A person clicking through the inbox
 * makes a few requests a second at most; 6,000 a minute is 100 a second.
 */
export const DEFAULT_RATE_LIMITS = {
  perMinute: 6_000,
  agencyPerMinute: 600_000,
  tokenEndpointPerMinute: 120,
  secretChecksWaiting: 8,
  secretChecksPerAddress: 4,
} as const satisfies Omit<RateLimitConfig, 'secretChecksAtOnce'>;

export const DEFAULT_OIDC_CLAIMS: OidcConfig['claims'] = { hetu: 'hetu', acr: 'acr', amr: 'amr' };

/** Issuers this service signs as itself (auth/token-claims.ts); an external provider may not use them. */
const OWN_ISSUERS: readonly string[] = ['asiointitili-dev', 'asiointitili'];

function authConfig(env: Env): AuthConfig {
  const allowDevTokens = oneOf(env, 'ALLOW_DEV_TOKENS', ['true', 'false'] as const, 'false') === 'true';
  const production = env.NODE_ENV?.trim() === 'production';
  const claims = {
    hetu: claimName(env, 'AUTH_CLAIM_HETU', DEFAULT_OIDC_CLAIMS.hetu),
    acr: claimName(env, 'AUTH_CLAIM_ACR', DEFAULT_OIDC_CLAIMS.acr),
    amr: claimName(env, 'AUTH_CLAIM_AMR', DEFAULT_OIDC_CLAIMS.amr),
  };
  const jwksUrl = jwksUrlOf(env);
  const issuer = boundedText(env, 'AUTH_ISSUER');
  const audience = boundedText(env, 'AUTH_AUDIENCE');
  if (jwksUrl === undefined) {
    for (const [name, value] of [['AUTH_ISSUER', issuer], ['AUTH_AUDIENCE', audience]] as const) {
      if (value !== undefined) throw new ConfigError(name, 'is set but AUTH_JWKS_URL is not; set all three or none');
    }
    return { allowDevTokens, production };
  }
  if (issuer === undefined) throw new ConfigError('AUTH_ISSUER', 'is required when AUTH_JWKS_URL is set (the provider\'s iss)');
  if (audience === undefined) throw new ConfigError('AUTH_AUDIENCE', 'is required when AUTH_JWKS_URL is set (this service\'s client id at the provider)');
  if (OWN_ISSUERS.includes(issuer)) throw new ConfigError('AUTH_ISSUER', `"${issuer}" is this service's own issuer name; give the provider's`);
  return { oidc: { jwksUrl, issuer, audience, claims }, allowDevTokens, production };
}

/** https, except on the loopback interface (a provider stub beside the service in tests). */
function jwksUrlOf(env: Env): string | undefined {
  const text = url(env, 'AUTH_JWKS_URL', ['https:', 'http:']);
  if (text === undefined) return undefined;
  const { protocol, hostname } = new URL(text);
  if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
    throw new ConfigError('AUTH_JWKS_URL', 'must use https:// (plain http only on 127.0.0.1 or localhost)');
  }
  return text;
}

function boundedText(env: Env, name: string): string | undefined {
  const text = nonEmpty(env, name);
  if (text !== undefined && text.length > 512) throw new ConfigError(name, 'is longer than 512 characters');
  return text;
}

function claimName(env: Env, name: string, fallback: string): string {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!/^[\x21-\x7e]{1,128}$/.test(text)) throw new ConfigError(name, `must be a claim name of 1–128 printable ASCII characters, got "${text}"`);
  return text;
}

/** Exact origins (`https://asiointi.example.fi`): no wildcard, no path. */
function origins(env: Env, name: string): readonly string[] {
  const text = nonEmpty(env, name);
  if (text === undefined) return [];
  return text.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') throw new ConfigError(name, 'may not be "*": list the origins of the front ends');
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(name, `"${origin}" is not an origin such as https://asiointi.example.fi`);
    }
    if (!['https:', 'http:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(name, `"${origin}" is not an origin such as https://asiointi.example.fi (scheme, host and port only)`);
    }
    return origin;
  });
}
