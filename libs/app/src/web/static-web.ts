import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { webPageHeaders } from './page-headers';

/** The front end's own routes (apps/web/src/routes.ts): each answers the page, which then renders itself. */
export const WEB_ROUTES = /^\/(?:messages\/[^/]+|applications(?:\/[^/]+)?|account)?$/;

/**
 * dist/web beside the package.json this file belongs to: found whether it runs compiled
 * (dist/libs/...) or from source, in a checkout or in the image (which has dist/ but no apps/).
 */
export function defaultWebRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i += 1) {
    if (existsSync(join(dir, 'package.json')) && (existsSync(join(dir, 'apps')) || existsSync(join(dir, 'dist')))) return join(dir, 'dist', 'web');
    dir = resolve(dir, '..');
  }
  return resolve('dist', 'web');
}

/**
 * Serves the built web inbox: hashed assets cached for a year (their names change with their
 * content), the page itself never cached, for `/` and every front-end route. Without a build, the
 * page says how to make one instead of failing.
 */
export function staticWeb(webRoot: string): Router {
  const router = express.Router();
  const index = join(webRoot, 'index.html');
  router.use(
    '/assets',
    (_req: Request, res: Response, next: NextFunction) => {
      res.removeHeader('Content-Security-Policy');
      next();
    },
    webPageHeaders,
    express.static(join(webRoot, 'assets'), {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.get(WEB_ROUTES, webPageHeaders, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send(`The web inbox is not built (${index} is missing): run npm run build.\n`);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(readFileSync(index));
  });
  return router;
}
