import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { JWTPayload } from 'jose';
import { AuthError } from '../auth/auth-error';
import { citizenFromClaims } from '../auth/oidc-token-verifier';
import type { CitizenPrincipal } from '../auth/principal';
import type { OidcConfig } from '../config/app-config';
import type { CitizenRefs } from '../identity/citizen-ref';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';
import { clearCookie, cookieOf, setCookie, type CookieOptions } from './cookies';
import { OidcRelyingParty, SignInError } from './oidc-relying-party';
import { randomToken, sameSecret, type WebSessions } from './web-sessions';
import { requestLine } from '../process/request-scope';

/** The bearer token a session's API calls carry, made from the verified sign-in. */
export type BearerFor = (signIn: { readonly idToken: string; readonly claims: JWTPayload; readonly principal: CitizenPrincipal }) => Promise<{ readonly bearer: string; readonly expiresAt: number }>;

export interface BffOptions {
  readonly sessions: WebSessions;
  readonly relyingParty: OidcRelyingParty;
  readonly citizenRefs: CitizenRefs;
  readonly claimNames: OidcConfig['claims'];
  readonly bearerFor: BearerFor;
  readonly secureCookies: boolean;
  readonly publicUrl: string;
  /** Told to the front end, which offers the paper preference only under digital by default. */
  readonly consentPolicy: 'consent' | 'digital-by-default';
}

export const CSRF_HEADER = 'x-csrf-token';
const LANGUAGES = ['fi', 'sv', 'en'] as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The API paths a signed-in browser may call with its session cookie: the citizen's own and attachments. */
const SESSION_PATHS = /^\/v1\/(?:citizen\/|attachments(?:\/|$|\?))/;

export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-asiointitili-session' : 'asiointitili-session');
export const loginCookieName = (secure: boolean): string => (secure ? '__Host-asiointitili-login' : 'asiointitili-login');

/** A same-site path to return to after sign-in; anything else (other hosts, `//`, schemes) goes to the inbox. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]{0,200}$/.test(value) ? value : '/';
}

/**
 * The backend for frontend of the web inbox: it runs the OpenID Connect sign-in (authorization
 * code with PKCE) on the server, keeps the tokens in server-side sessions, and gives the browser
 * only an httpOnly session cookie. The front end then calls the product's own API (`/v1/citizen/…`,
 * `/v1/attachments`) with that cookie; `sessionBearer` puts the session's bearer token on the
 * call, so the API authenticates it exactly as any client's token (the same verifier, the same
 * level of assurance and method in the trail). Writes need the session's CSRF token in
 * `X-CSRF-Token` and, when the browser sends one, this service's own Origin.
 */
export function bff(options: BffOptions): { readonly routes: Router; readonly sessionBearer: (req: Request, res: Response, next: NextFunction) => void } {
  const logger = new Logger('WebSignIn');
  const sessionCookie = sessionCookieName(options.secureCookies);
  const loginCookie = loginCookieName(options.secureCookies);
  const sessionCookieOptions: CookieOptions = { secure: options.secureCookies, path: '/' };
  const loginCookieOptions: CookieOptions = { secure: options.secureCookies, path: '/', maxAgeSeconds: 600 };
  const routes = express.Router();

  routes.get('/auth/login', async (req, res, next) => {
    try {
      const language = LANGUAGES.find((l) => l === req.query.lang) ?? 'fi';
      const authorization = await options.relyingParty.authorize({ uiLocales: language });
      const loginId = options.sessions.beginLogin({ ...authorization, returnTo: safeReturnTo(req.query.returnTo), language });
      setCookie(res, loginCookie, loginId, loginCookieOptions);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, authorization.url);
    } catch (error) {
      if (!(error instanceof SignInError)) return next(error);
      logger.error(requestLine(req, `sign-in cannot start: ${error.message}`));
      res.redirect(302, '/?signin=unavailable');
    }
  });

  routes.get('/auth/callback', async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const login = options.sessions.takeLogin(cookieOf(req, loginCookie));
    clearCookie(res, loginCookie, loginCookieOptions);
    const { code, state, error } = req.query;
    if (!login || typeof state !== 'string' || !sameSecret(state, login.state)) {
      // No sign-in of this browser is waiting for this answer (expired, repeated, or started elsewhere: login CSRF).
      res.redirect(302, '/?signin=expired');
      return;
    }
    if (typeof error === 'string' || typeof code !== 'string') {
      res.redirect(302, `/?signin=cancelled&lang=${login.language}`);
      return;
    }
    try {
      const { idToken, claims } = await options.relyingParty.exchange(code, login.codeVerifier, login.nonce);
      const principal = citizenFromClaims(claims, options.claimNames, options.citizenRefs);
      const { bearer, expiresAt } = await options.bearerFor({ idToken, claims, principal });
      const id = options.sessions.create({ bearer, csrfToken: randomToken(), acr: principal.acr, amr: principal.amr, idToken, expiresAt });
      setCookie(res, sessionCookie, id, sessionCookieOptions);
      res.redirect(302, login.returnTo);
    } catch (failure) {
      if (failure instanceof AuthError) {
        logger.warn(requestLine(req, `sign-in refused: ${failure.reason}`));
        res.redirect(302, `/?signin=refused&lang=${login.language}`);
        return;
      }
      if (failure instanceof SignInError) {
        logger.error(requestLine(req, `sign-in failed: ${failure.message}`));
        res.redirect(302, `/?signin=failed&lang=${login.language}`);
        return;
      }
      next(failure);
    }
  });

  /** Whether this browser is signed in, and the CSRF token its writes must carry. Never the tokens. */
  routes.get('/auth/session', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = options.sessions.find(cookieOf(req, sessionCookie));
    res.json(
      session
        ? { signedIn: true, csrfToken: session.csrfToken, acr: session.acr, amr: session.amr, expiresAt: new Date(session.expiresAt).toISOString(), consentPolicy: options.consentPolicy }
        : { signedIn: false },
    );
  });

  routes.post('/auth/logout', (req, res) => {
    const id = cookieOf(req, sessionCookie);
    const session = options.sessions.find(id);
    if (session && !writeAllowed(req, session.csrfToken, options.publicUrl)) return refuseCsrf(res);
    options.sessions.end(id);
    clearCookie(res, sessionCookie, sessionCookieOptions);
    res.status(204).end();
  });

  const sessionBearer = (req: Request, res: Response, next: NextFunction): void => {
    if (req.headers.authorization !== undefined || !SESSION_PATHS.test(req.originalUrl)) return next();
    const session = options.sessions.find(cookieOf(req, sessionCookie));
    if (!session) return next(); // the API answers 401 as to any call without a token
    if (!SAFE_METHODS.has(req.method) && !writeAllowed(req, session.csrfToken, options.publicUrl)) return refuseCsrf(res);
    req.headers.authorization = `Bearer ${session.bearer}`;
    next();
  };

  return { routes, sessionBearer };
}

function writeAllowed(req: Request, csrfToken: string, publicUrl: string): boolean {
  const header = req.headers[CSRF_HEADER];
  const origin = req.headers.origin;
  return sameSecret(typeof header === 'string' ? header : undefined, csrfToken) && (origin === undefined || origin === publicUrl);
}

function refuseCsrf(res: Response): void {
  res
    .status(403)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(403, 'csrf-token-invalid', `A write from the web inbox needs the session's CSRF token in the ${CSRF_HEADER} header, from this service's own origin.`)));
}
