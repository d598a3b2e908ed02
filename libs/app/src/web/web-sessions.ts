import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@asiointitili/core';
import type { Acr, Amr } from '../auth/principal';

/** What the server keeps for one signed-in browser. The browser holds only the opaque session id. */
export interface WebSession {
  /** The bearer token calls from this browser carry to the API; never sent to the browser. */
  readonly bearer: string;
  /** Echoed by the front end in `X-CSRF-Token` on every write. */
  readonly csrfToken: string;
  readonly acr: Acr;
  readonly amr: Amr;
  /** The provider's ID token, for its end-session endpoint at sign-out. */
  readonly idToken: string;
  /** The session ends here at the latest (the bearer token's own expiry). */
  readonly expiresAt: number;
  lastSeenAt: number;
}

/** A sign-in under way: what the callback must find again to accept the provider's answer. */
export interface LoginTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly language: string;
  readonly startedAt: number;
}

export const LOGIN_TRANSACTION_SECONDS = 10 * 60;
const SWEEP_INTERVAL_MS = 60_000;

export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Server-side sessions of the web inbox (backend for frontend): the cookie carries a random id,
 * the store keeps only its SHA-256, so a copy of the store cannot be replayed as cookies. A session
 * ends after `idleSeconds` without a request, at its token's expiry, or at sign-out. Kept in the
 * process's memory: a restart signs everyone out, and several API processes need sticky sessions
 * at the load balancer (docs/web.md).
 */
export class WebSessions {
  private readonly sessions = new Map<string, WebSession>();
  private readonly logins = new Map<string, LoginTransaction>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly idleSeconds: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** Starts a session; answers the id for the cookie. */
  create(session: Omit<WebSession, 'lastSeenAt'>): string {
    this.sweep();
    const id = randomToken();
    this.sessions.set(key(id), { ...session, lastSeenAt: this.now() });
    return id;
  }

  /** The live session of a cookie value, touched; undefined when unknown, idle too long or expired. */
  find(id: string | undefined): WebSession | undefined {
    if (!id) return undefined;
    const k = key(id);
    const session = this.sessions.get(k);
    if (!session) return undefined;
    const now = this.now();
    if (now >= session.expiresAt || now - session.lastSeenAt > this.idleSeconds * 1000) {
      this.sessions.delete(k);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(id: string | undefined): WebSession | undefined {
    if (!id) return undefined;
    const k = key(id);
    const session = this.sessions.get(k);
    this.sessions.delete(k);
    return session;
  }

  beginLogin(login: Omit<LoginTransaction, 'startedAt'>): string {
    this.sweep();
    const id = randomToken();
    this.logins.set(key(id), { ...login, startedAt: this.now() });
    return id;
  }

  /** The sign-in of a login cookie, once: a second callback with the same cookie finds nothing. */
  takeLogin(id: string | undefined): LoginTransaction | undefined {
    if (!id) return undefined;
    const k = key(id);
    const login = this.logins.get(k);
    this.logins.delete(k);
    if (!login || this.now() - login.startedAt > LOGIN_TRANSACTION_SECONDS * 1000) return undefined;
    return login;
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Drops what has expired (at most once a minute: it walks every entry); when still full, the
   * oldest entries go first, so a flood of sign-ins cannot exhaust memory.
   */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      for (const [k, s] of this.sessions) if (now >= s.expiresAt || now - s.lastSeenAt > this.idleSeconds * 1000) this.sessions.delete(k);
      for (const [k, l] of this.logins) if (now - l.startedAt > LOGIN_TRANSACTION_SECONDS * 1000) this.logins.delete(k);
    }
    for (const map of [this.sessions, this.logins] as Map<string, unknown>[]) {
      while (map.size >= this.maxEntries) map.delete(map.keys().next().value as string);
    }
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

const key = (id: string): string => createHash('sha256').update(id).digest('base64url');
