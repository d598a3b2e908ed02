/**
 * RFC 9457 problem details, the only error shape the API answers with
 * (`Content-Type: application/problem+json`).
 */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
  /** Extra members a client may rely on, e.g. the original `id` on an externalId repeat. */
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** `type` URIs are stable names under this prefix: clients may switch on them. */
export const problemType = (code: string): string => `urn:asiointitili:problem:${code}`;

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, ...extensions };
}

/** Thrown by controllers and handlers for an answer that is not a domain rejection. */
export class ProblemException extends Error {
  constructor(readonly problem: Problem, readonly headers: Readonly<Record<string, string>> = {}) {
    super(problem.detail);
    this.name = 'ProblemException';
  }
}

export const notFound = (what = 'resource'): ProblemException =>
  new ProblemException(problem(404, 'not-found', `No such ${what}.`));
