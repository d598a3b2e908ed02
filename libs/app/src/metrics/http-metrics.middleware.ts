import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { AppMetrics } from './app-metrics';

/** Label of requests no route matched (404s, and answers given before routing: 413, 415). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request from arrival to the last byte, labelled by the route template that
 * handled it (`/v1/citizen/messages/:id`, never the path itself: paths hold ids and henkilötunnus
 * values, and one series per id would also grow without bound).
 */
export function httpMetrics(metrics: AppMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('finish', () => {
      metrics.httpRequest(request.method, routeOf(request), response.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}

function routeOf(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
