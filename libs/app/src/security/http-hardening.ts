import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response, Express } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config';

export const DOCS_PATH = '/docs';

/** A JSON API never renders a page: no sources at all, never framed. */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  frameguard: { action: 'deny' },
});

/**
 * The Swagger UI is a page: its own scripts and styles (same origin; the UI inlines styles), data:
 * images. Plain-http deployments on a private network must still load it, so no upgrade of requests.
 */
const docsHeaders = helmet({
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' },
});

const isDocs = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`) || path.startsWith(`${DOCS_PATH}-`);

/**
 * Transport-level defences, installed before any other middleware so that every answer (errors
 * included) carries them: which proxies to believe for the client address, security headers
 * (helmet; the relaxed policy for /docs only), `Cache-Control: no-store` on the API (answers hold
 * personal data), and CORS only for the origins in CORS_ORIGINS.
 */
export function hardenHttp(app: INestApplication, config: Pick<AppConfig, 'corsOrigins' | 'trustProxyHops'>): void {
  const http = app.getHttpAdapter().getInstance() as Express;
  http.set('trust proxy', config.trustProxyHops === 0 ? false : config.trustProxyHops);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isDocs(request.path)) return docsHeaders(request, response, next);
    response.setHeader('Cache-Control', 'no-store');
    return apiHeaders(request, response, next);
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'Location', 'Content-Disposition', 'WWW-Authenticate'],
      credentials: false,
      maxAge: 600,
    });
  }
}
