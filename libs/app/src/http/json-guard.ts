import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ProblemException, problem } from './problem';

/**
 * What the JSON parser lets through but the API refuses, before any DTO sees it. Each rule
 * models an attack (issue 6, "hostile input"):
 *
 * - Nesting deeper than MAX_JSON_DEPTH: JSON.parse copes with any depth, but the recursive
 *   walks after it (class-transformer, class-validator, canonical JSON) overflow the stack,
 *   which would be a 500 for a 10 kB request. No request DTO nests more than a few levels.
 * - `__proto__`, `constructor` and `prototype` as keys: class-transformer assigns members with
 *   `obj[key] = value`, so `__proto__` would swap the prototype of the DTO it builds. No DTO has
 *   such a field, so refusing them costs nothing and closes the whole class of attack.
 * - Strings that are not well-formed Unicode (lone surrogates, which valid JSON can carry as
 *   `\ud800`): no UTF-8 store can keep them, so a BSON or protobuf adapter would silently turn
 *   them into U+FFFD and the stored event would no longer match its hash.
 * - Bytes that are not UTF-8, or a charset other than UTF-8: the decoder would replace what it
 *   cannot read, changing what the sender wrote (RFC 8259 §8.1: JSON between systems is UTF-8).
 */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** String.prototype.isWellFormed (ES2024), which the ES2022 library types here do not declare. */
export const isWellFormedUnicode = (text: string): boolean => !LONE_SURROGATE.test(text);

/** body-parser's `verify` hook: runs on the raw bytes before they are decoded. */
export function requireUtf8(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') {
    throw new ProblemException(problem(415, 'unsupported-media-type', 'Send the request body as UTF-8 JSON.'));
  }
  if (!isUtf8(body)) throw new ProblemException(problem(400, 'malformed-unicode', 'The request body is not valid UTF-8.'));
}

/** The first reason to refuse a parsed body, or undefined. Iterative, so no depth can overflow the stack. */
export function hostileJsonProblem(body: unknown): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormedUnicode(value)) return 'malformed-unicode';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return 'too-deeply-nested';
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return 'forbidden-key';
      if (!isWellFormedUnicode(key)) return 'malformed-unicode';
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

const DETAILS: Readonly<Record<string, string>> = {
  'malformed-unicode': 'The request body contains a string that is not well-formed Unicode (a lone surrogate).',
  'too-deeply-nested': `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
  'forbidden-key': 'The request body uses a reserved member name (__proto__, constructor or prototype).',
};

/** Middleware after the JSON parser: refuses what hostileJsonProblem finds, with 400 problem+json. */
export function refuseHostileJson(request: Request, _response: Response, next: NextFunction): void {
  const code = hostileJsonProblem(request.body);
  if (code === undefined) return next();
  // The detail names the rule, never the offending value: it may be personal data.
  next(new ProblemException(problem(400, code, DETAILS[code] ?? 'The request body is refused.')));
}
