import { resolve } from 'node:path';

/**
 * Configuration comes from the environment only (API.md, "Configuration"). Anything invalid
 * stops the process at start with a message naming the variable, before a port is opened.
 */
export interface AppConfig {
  readonly port: number;
  readonly dataDir: string;
  readonly eventStoreUrl?: string;
  readonly mongodbUrl?: string;
  /** `consent`: the seed's model (open account + consent per agency). `digital-by-default`: HE 124/2025. */
  readonly consentPolicy: 'consent' | 'digital-by-default';
  /** Largest JSON request body, in bytes (413 above). */
  readonly jsonLimitBytes: number;
  /** How often the time process manager looks for due deadlines, in milliseconds. */
  readonly deadlineIntervalMs: number;
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
    eventStoreUrl: url(env, 'EVENTSTORE_URL', ['esdb:', 'esdb+discover:']),
    mongodbUrl: url(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
    consentPolicy: oneOf(env, 'CONSENT_POLICY', ['consent', 'digital-by-default'] as const, 'consent'),
    jsonLimitBytes: integer(env, 'JSON_LIMIT_BYTES', 1024 * 1024, 1024, 16 * 1024 * 1024),
    deadlineIntervalMs: integer(env, 'DEADLINE_INTERVAL_MS', 1000, 10, 3_600_000),
  };
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(name, 'is set but empty; unset it or give a value');
  return value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new ConfigError(name, `must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
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

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  if (!(values as readonly string[]).includes(text)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${text}"`);
  return text as T;
}
