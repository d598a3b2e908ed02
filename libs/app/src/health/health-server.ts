import { createServer, type Server } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';
import type { AppMetrics } from '../metrics/app-metrics';
import { assessReadiness, type ReadinessSources } from './readiness';

/**
 * GET /health/live, /health/ready (= /health) and /metrics for a process without the HTTP API:
 * a worker (WORKER_HEALTH_PORT), so an orchestrator can probe it and Prometheus can scrape its
 * followers' state and retries. Same answers as the API's HealthController; nothing else is served.
 */
export async function startHealthServer(port: number, sources: ReadinessSources, metrics: AppMetrics): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, PROBLEM_CONTENT_TYPE, JSON.stringify(problem(405, 'method-not-allowed', 'Only GET is served here.')));
    if (path === '/health/live') return send(200, 'application/json', JSON.stringify({ status: 'live' }));
    if (path === '/metrics') {
      void metrics.text().then((text) => send(200, metrics.contentType, text), () => send(500, 'text/plain', 'metrics failed'));
      return;
    }
    if (path === '/health/ready' || path === '/health') {
      void assessReadiness(sources).then(
        (report) =>
          report.ready
            ? send(200, 'application/json', JSON.stringify({ status: 'ok', followers: report.followers, readModels: report.readModels, ports: report.ports }))
            : send(503, PROBLEM_CONTENT_TYPE, JSON.stringify(problem(503, 'not-ready', report.problems.join('; '), { problems: report.problems, followers: report.followers, readModels: report.readModels, ports: report.ports }))),
        () => send(503, PROBLEM_CONTENT_TYPE, JSON.stringify(problem(503, 'not-ready', 'readiness could not be assessed'))),
      );
      return;
    }
    send(404, PROBLEM_CONTENT_TYPE, JSON.stringify(problem(404, 'not-found', 'No such resource.')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
