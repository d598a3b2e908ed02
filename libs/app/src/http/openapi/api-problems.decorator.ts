import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { ProblemSchema } from './problem.schema';

export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 410 | 413 | 415 | 417 | 422 | 429 | 431 | 500 | 502 | 503;

/** What each status means in this API, unless the route says more. */
export const PROBLEM_DESCRIPTIONS: Readonly<Record<ProblemStatus, string>> = {
  400: 'The request is malformed: `errors` names each invalid field, parameter or header.',
  401: 'No valid bearer token (WWW-Authenticate says why).',
  403: 'The token is valid but may not make this call (role, agency, or level of assurance).',
  404: 'No such resource, or it is not yours.',
  405: 'The method is not allowed here.',
  408: 'The request took too long to arrive.',
  409: 'Conflicts with the current state (e.g. a repeated externalId: `id` is the original).',
  410: 'Gone.',
  413: 'The request body is larger than the limit.',
  415: 'The request body is not of an accepted media type.',
  417: 'An Expect other than 100-continue.',
  422: 'Well-formed but refused by a rule of the service (`errors` may name the fields).',
  429: 'Too many requests: retry after Retry-After seconds.',
  431: 'The request headers are too large.',
  500: 'An unexpected error; it has been logged. The detail reveals nothing.',
  502: 'An upstream service failed.',
  503: 'A dependency is unavailable just now: retry after Retry-After seconds.',
};

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 0 } },
};

/** Response headers each problem status carries. */
export function problemHeaders(status: number): HeadersObject | undefined {
  if (status === 429 || status === 503) return RETRY_AFTER;
  if (status === 401) return { 'WWW-Authenticate': { description: 'The authentication challenge (RFC 6750 / RFC 6749).', schema: { type: 'string' } } };
  return undefined;
}

/** The OpenAPI response object of one problem status. */
export function problemResponse(status: number, description?: string): Record<string, unknown> {
  const headers = problemHeaders(status);
  return {
    description: description ?? PROBLEM_DESCRIPTIONS[status as ProblemStatus] ?? 'An error.',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } } },
    ...(headers ? { headers } : {}),
  };
}

/**
 * Documents the error answers of a route (or of every route of a controller) as
 * `application/problem+json` against the one Problem schema:
 *
 *   @ApiProblems(404, 409, { status: 422, description: 'The recipient has no account' })
 *
 * Name only what the route itself can answer. The statuses every route can give are added to the
 * document for all routes (openapi-document.ts): 401/403/503 on authenticated routes, 429 and 500
 * everywhere, 400 where there are parameters or a body, 413/415 where there is a body.
 */
export function ApiProblems(...statuses: readonly (ProblemStatus | { readonly status: ProblemStatus; readonly description: string })[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...statuses.map((entry) => {
      const { status, description } = typeof entry === 'number' ? { status: entry, description: undefined } : entry;
      return ApiResponse({ status, ...(problemResponse(status, description) as { description: string }) });
    }),
  );
}
