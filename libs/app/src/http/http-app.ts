import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AsiointitiliModule } from '../app.module';
import { isTokenEndpointForm, tokenFormParser } from '../credentials/token-form-body';
import { hardenHttp } from '../security/http-hardening';
import type { Runtime } from '../runtime/runtime';
import { httpMetrics } from '../metrics/http-metrics.middleware';
import { answerClientErrorsAsProblems } from './client-errors';
import { refuseHostileJson, requireUtf8 } from './json-guard';
import { requestScopeMiddleware } from '../process/request-scope';
import { createOpenApiDocument } from './openapi/openapi-document';
import { bodyDeadline, limitServer } from './transport-limits';
import { ProblemFilter } from './problem.filter';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';
import { createValidationPipe } from './validation';
import { mountWeb } from '../web/mount-web';

export interface HttpAppOptions {
  /** Nest's own logging: false in tests. */
  readonly logger?: false | ('log' | 'error' | 'warn')[];
}

/**
 * Builds the HTTP application on a runtime: JSON parsing with a size limit, the global
 * whitelisting pipe, problem+json for every error (including body-parser errors, which happen
 * before Nest routes the request), and the OpenAPI document at /docs.
 */
export async function createHttpApp(runtime: Runtime, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AsiointitiliModule.register(runtime), {
    bodyParser: false,
    logger: options.logger ?? ['log', 'error', 'warn'],
  });
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('etag', false);
  http.set('query parser', 'simple'); // no nested objects from query strings
  app.use(requestScopeMiddleware); // first: gives every request its ids, which the log lines about it carry
  hardenHttp(app, runtime.config); // security headers, CORS, trusted proxies: before anything can answer
  app.use(httpMetrics(runtime.metrics)); // first, so that 413/415 answers given before routing are timed too
  limitServer(app.getHttpServer(), runtime.config.transport); // header time limit, connections per address
  app.use(bodyDeadline(runtime.config.transport)); // body time limit per route class, before anything reads a body
  mountWeb(app, runtime); // the web inbox: its pages, sign-in (forms) and session cookies, before the JSON-only body rules
  app.use(refuseNonJsonBodies);
  app.use(tokenFormParser); // POST /v1/auth/token alone also takes an OAuth form
  app.use(express.json({ limit: runtime.config.jsonLimitBytes, strict: true, type: ['application/json', 'application/*+json'], verify: requireUtf8 }));
  app.use(refuseHostileJson);
  app.use(bodyParserProblems);
  answerClientErrorsAsProblems(app.getHttpServer());
  app.useGlobalPipes(createValidationPipe(runtime.clock));

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A JSON API refuses a body of any other type with 415, rather than reading it as empty. */
function refuseNonJsonBodies(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const type = request.headers['content-type'] ?? '';
  const isUpload = request.path === '/v1/attachments';
  if (BODY_METHODS.has(request.method) && hasBody && !isUpload && !isTokenEndpointForm(request) && !/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
    sendProblem(response, problem(415, 'unsupported-media-type', 'Send the request body as application/json.'));
    return;
  }
  next();
}

function bodyParserProblems(error: unknown, request: Request, response: Response, next: NextFunction): void {
  // A late body was answered 408 already (transport-limits.ts); its parser's abort has nothing left to say.
  if (response.headersSent) return;
  const answer = new ProblemFilter().toProblem(error, request);
  if (answer.body.status >= 500) return next(error);
  sendProblem(response, answer.body);
}

function sendProblem(response: Response, body: { status: number }): void {
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
