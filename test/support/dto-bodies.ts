import { getMetadataStorage } from 'class-validator';
import { transformerMetadata } from '../../libs/app/src/http/fast-validation/transformer-metadata';

/**
 * Bodies for a DTO class, generated from its decorators' metadata, for comparing two pipes: the
 * values each member's rules name (IsIn's list, Length's and Min/Max's bounds and one past them,
 * ArrayMaxSize's count), the OpenAPI examples, format samples (henkilötunnus, dates, instants,
 * ids), wrong types, and unicode edge cases. `oracle` (the plain pipe) says which values a
 * member accepts, so that each case changes one thing in an otherwise valid body.
 */
export interface BodyCase {
  readonly rule: string;
  readonly body: unknown;
}

export type Oracle = (type: Function, body: unknown) => Promise<readonly { field: string }[] | undefined>;

const UNICODE = [
  'ä', 'Åsa Öberg', '😀', 'e\u0301', '\u202Eevil', '\u2066iso\u2069', 'a\u0000b', 'tab\there', 'line\nbreak', 'cr\r\nlf', '\uFEFFbom',
  '\uD800', '\uDC00x', '\u00A0', ' ', '', '   padded   ', 'עברית', '\u200B', '\u0085', '\u001F',
];
const FORMATS = [
  '131052-308T', '010101A123N', '131052+308T', '131052-308t', '311299-999X', '290200A1234', '2026-12-31', '2026-02-30', '2026-12-01T08:00:00Z',
  '2026-12-01T08:00:00+02:00', '2026-12-01T08:00:00', '0737546-2', '0737546-3', 'a@example.fi', 'not-an-email', 'att_12345678',
  'abcdefgh', 'short', 'message-m-0b6e1234', 'wh_3q2Yk0mN8xVbQ1rT5uWz7A', '00000000-0000-4000-8000-000000000000', 'https://example.fi', '42', '1000', '1001', '0', '-1', '1.5', 'true',
];
const OTHERS: unknown[] = [null, true, false, 0, 1, -1, 1.5, 30, 1e21, -0, [], [''], ['x', 'y'], [1], [null], {}, { a: 1 }, [{}]];

export function bodyCases(good: Readonly<Record<string, unknown>>, candidates: ReadonlyMap<string, unknown[]>, seed = 1): BodyCase[] {
  const cases: BodyCase[] = [{ rule: 'a body of accepted values is accepted', body: { ...good } }];
  const names = [...candidates.keys()];
  for (const name of names) {
    const { [name]: _left, ...without } = good;
    cases.push({ rule: `${name} missing`, body: without });
    for (const value of candidates.get(name) ?? []) cases.push({ rule: `${name} = ${show(value)}`, body: { ...good, [name]: value } });
  }
  cases.push({ rule: 'an extra member is refused', body: { ...good, extra: 'x' } });
  cases.push({ rule: 'an extra member named __proto__', body: { ...JSON.parse('{"__proto__": {"x": 1}}'), ...good } });
  cases.push({ rule: 'an extra member named constructor', body: { ...good, ...JSON.parse('{"constructor": "x"}') } });
  cases.push({ rule: 'a null-prototype object (a query string)', body: Object.assign(Object.create(null) as object, good) });
  cases.push({ rule: 'members in reverse order', body: Object.fromEntries(Object.entries(good).reverse()) });
  for (const top of [undefined, null, 'text', 7, true, [], [good], new Uint8Array(2)]) cases.push({ rule: `the whole body is ${show(top)}`, body: top });
  // Random mixes: each member left out, accepted or replaced by any candidate.
  let state = seed * 2654435761;
  const random = (): number => ((state = (state * 1103515245 + 12345) >>> 0) % 1000) / 1000;
  for (let index = 0; index < 150; index += 1) {
    const body: Record<string, unknown> = {};
    for (const name of names) {
      const roll = random();
      const pool = candidates.get(name) ?? [];
      if (roll < 0.2) continue;
      body[name] = roll < 0.75 || pool.length === 0 ? good[name] : pool[Math.floor(random() * pool.length)];
      if (body[name] === undefined) delete body[name];
    }
    cases.push({ rule: `mix ${index}`, body });
  }
  return cases;
}

/** The values worth trying in one member of `type`, nested bodies included (`nested` builds them). */
export function memberCandidates(type: Function, name: string, nestedBodies: (type: Function) => unknown[]): unknown[] {
  const values: unknown[] = [...UNICODE, ...FORMATS, ...OTHERS];
  const storage = getMetadataStorage();
  for (const metadata of storage.getTargetValidationMetadatas(type, undefined as unknown as string, false, false, undefined)) {
    if (metadata.propertyName !== name) continue;
    const constraints = (metadata.constraints ?? []) as unknown[];
    if (metadata.name === 'isIn') values.push(...(constraints[0] as unknown[]), [...(constraints[0] as unknown[])].slice(0, 1));
    for (const bound of constraints.filter((c): c is number => typeof c === 'number' && c <= 50_000)) {
      for (const length of [bound - 1, bound, bound + 1].filter((n) => n >= 0)) {
        values.push('x'.repeat(length), 'ä'.repeat(length), length, Array.from({ length: Math.min(length, 60) }, (_unused, i) => `att_${String(i).padStart(8, '0')}`));
      }
    }
  }
  const swagger = Reflect.getMetadata('swagger/apiModelProperties', type.prototype, name) as { example?: unknown; enum?: unknown[]; default?: unknown } | undefined;
  if (swagger?.example !== undefined) values.push(swagger.example, [swagger.example]);
  if (swagger?.default !== undefined) values.push(swagger.default);
  if (Array.isArray(swagger?.enum)) values.push(...swagger.enum);
  const nested = transformerMetadata.findTypeMetadata(type, name);
  if (nested?.typeFunction) {
    const bodies = nestedBodies(nested.typeFunction() as Function);
    values.push(...bodies, bodies.slice(0, 3), [bodies[0], 'x'], [[bodies[0]]]);
  }
  return values;
}

/** The names class-validator knows for `type`: the members a body may carry. */
export function memberNames(type: Function): string[] {
  const storage = getMetadataStorage();
  return Object.keys(storage.groupByPropertyName(storage.getTargetValidationMetadatas(type, undefined as unknown as string, false, false, undefined)));
}

/** The first candidate of each member that the oracle accepts with the members chosen before it. */
export async function acceptedValues(type: Function, candidates: ReadonlyMap<string, unknown[]>, oracle: Oracle): Promise<Record<string, unknown>> {
  const good: Record<string, unknown> = {};
  for (const [name, pool] of candidates) {
    for (const value of pool) {
      const problems = await oracle(type, { ...good, [name]: value });
      if (!problems || !problems.some((p) => p.field === name || p.field.startsWith(`${name}.`))) {
        good[name] = value;
        break;
      }
    }
  }
  return good;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Uint8Array) return 'bytes';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}… (${text.length})` : text;
}
