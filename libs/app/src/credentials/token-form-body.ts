import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { oauthProblem } from './token-request';

export const TOKEN_ENDPOINT_PATH = '/v1/auth/token';

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The one body that may be a form rather than JSON: a token request, as OAuth clients send it. */
export function isTokenEndpointForm(request: Pick<Request, 'method' | 'path' | 'headers'>): boolean {
  return request.method === 'POST' && request.path === TOKEN_ENDPOINT_PATH && FORM_TYPE.test(request.headers['content-type'] ?? '');
}

const parseForm = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 16 });

/**
 * Parses a token request form (flat: no nested keys, a few parameters, 4 KiB). A form it cannot
 * read is an OAuth invalid_request, never an internal error.
 */
export function tokenFormParser(request: Request, response: Response, next: NextFunction): void {
  if (!isTokenEndpointForm(request)) return next();
  parseForm(request, response, (error?: unknown) => {
    if (!error) return next();
    const status = typeof error === 'object' && error !== null && 'status' in error && error.status === 413 ? 413 : 400;
    const answer = oauthProblem('invalid_request', status === 413 ? 'the form is too large' : 'the form cannot be read');
    const body = status === 413 ? { ...answer.problem, status: 413, title: 'Payload Too Large' } : answer.problem;
    response.status(status).set(answer.headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  });
}
