import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { problemResponse, type ProblemStatus } from './api-problems.decorator';
import { ProblemSchema } from './problem.schema';

/** Marks an operation as reachable without a token; set by @Public(), turned into `security: []` here. */
export const PUBLIC_EXTENSION = 'x-asiointitili-public';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = {
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  [extension: string]: unknown;
};

/**
 * The OpenAPI document served at /docs/openapi.json: what the controllers' decorators say, plus
 * what holds for every route and is therefore not repeated on each (security per operation, the
 * problems any route can answer, servers).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Asiointitili')
      .setDescription(
        'The secure two-way channel between Finnish authorities and citizens. Every error is application/problem+json ' +
          '(the Problem schema). Authenticated calls carry a bearer token: agencies get one from POST /v1/auth/token.',
      )
      .setVersion('1')
      .addServer('/', 'The server that serves this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
    { extraModels: [ProblemSchema] },
  );
  return completeOpenApiDocument(document);
}

/** Problems may carry extension members beside the standard ones (RFC 9457 §3.2). */
function openProblemSchema(document: OpenAPIObject): void {
  const schema = document.components?.schemas?.Problem as { additionalProperties?: unknown } | undefined;
  if (schema) schema.additionalProperties = true;
}

/**
 * Adds to every operation its security and the problems every route of its kind can answer, and
 * makes every error response a Problem (application/problem+json, Retry-After on 429/503).
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  openProblemSchema(document);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const isPublic = operation[PUBLIC_EXTENSION] === true;
      delete operation[PUBLIC_EXTENSION];
      operation.security = isPublic ? [] : [{ bearer: [] }];
      // Any request can be malformed, or carry an oversized body or one in a type or coding the
      // server does not read: the parsers look at a body on every method.
      const statuses: ProblemStatus[] = [400, 413, 415];
      if (!isPublic) statuses.push(401, 403);
      statuses.push(408, 417, 431, 429, 500); // 408, 417 and 431 come from the HTTP server, before any route
      // A store is unavailable just now (ProblemFilter: store-unavailable), or, on an authenticated
      // route, the identity provider's keys cannot be fetched.
      statuses.push(503);
      for (const status of statuses) operation.responses[String(status)] ??= problemResponse(status);
      // An error documented with a description only (@ApiResponse, @ApiNotFoundResponse) is a Problem all the same.
      for (const [status, response] of Object.entries(operation.responses)) {
        const { description, content } = response as { description?: string; content?: unknown };
        if (Number(status) >= 400 && content === undefined) operation.responses[status] = problemResponse(Number(status), description);
      }
      operation.responses = sortedByStatus(operation.responses);
    }
  }
  return document;
}

function sortedByStatus(responses: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}
