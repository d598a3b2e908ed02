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
 * - A member name repeated in one object: JSON.parse keeps the last, another parser the first
 *   (RFC 8259 §4: "the behavior of software that receives such an object is unpredictable"), so
 *   a proxy, a signature check or a log could read another recipient than the one the handler
 *   acts on. Refused with 400 naming the member.
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
  const duplicate = firstDuplicateMember(body.toString('utf8'));
  if (duplicate !== undefined) {
    throw new ProblemException(
      problem(400, 'duplicate-member', `The request body names the member ${duplicate} more than once in one object.`, {
        errors: [{ field: duplicate, problem: 'appears more than once' }],
      }),
    );
  }
}

/** How much of a repeated member's path a problem names: member names are the client's own text. */
const MAX_NAMED_PATH = 200;

/**
 * The path (`recipient.hetu`, `items[2].subject`) of the first member name repeated within one
 * object of JSON text, or undefined. One pass, iterative (any depth), comparing names after
 * unescaping (`"a"` and `"\u0061"` are the same member). Text that is not JSON may give any
 * answer: the parser refuses it anyway. It looks no deeper than MAX_JSON_DEPTH, which
 * refuseHostileJson enforces.
 */
export function firstDuplicateMember(text: string): string | undefined {
  interface Frame {
    readonly names: Set<string> | null; // null: an array
    readonly path: string;
    index: number; // next element of an array
    current: string; // the member whose value is being read
  }
  const stack: Frame[] = [];
  let expectName = false;
  const pathOf = (frame: Frame | undefined): string => {
    if (!frame) return '';
    return frame.names ? frame.current : `${frame.path}[${frame.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) return undefined; // unterminated: malformed JSON
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        end++;
      }
      const top = stack[stack.length - 1];
      if (expectName && top?.names) {
        let name: string;
        try {
          name = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined;
        }
        const path = top.path === '' ? name : `${top.path}.${name}`;
        if (top.names.has(name)) return path.length > MAX_NAMED_PATH ? `${path.slice(0, MAX_NAMED_PATH)}…` : path;
        top.names.add(name);
        top.current = path;
        expectName = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      // Deeper than any body may be: refused as too-deeply-nested after parsing, so the scan
      // stops here rather than spend a frame on each of up to a million levels.
      if (stack.length >= MAX_JSON_DEPTH) return undefined;
      const parent = stack[stack.length - 1];
      const path = pathOf(parent);
      stack.push({ names: c === 0x7b ? new Set() : null, path, index: 0, current: path });
      expectName = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectName = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top && !top.names) top.index++;
      expectName = top?.names !== null && top !== undefined;
    }
  }
  return undefined;
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
