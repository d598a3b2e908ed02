import 'reflect-metadata';
import { HttpException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { controllerDtos } from '../../../../../test/support/controller-dtos';
import { acceptedValues, bodyCases, memberCandidates, memberNames, type Oracle } from '../../../../../test/support/dto-bodies';
import { createValidationPipe } from '../validation';
import { FastValidation } from './fast-path';

/**
 * The fast path against the plain pipe, body by body: the same instance (class, members and
 * their order, nested classes) or the same 400 answer, for every DTO class a route validates.
 */
const clock = { now: () => new Date('2026-12-07T10:00:00Z') };
const plain = createValidationPipe(clock, { fastPath: false });
const fast = createValidationPipe(clock);
const dtos = controllerDtos();

type Outcome = { readonly accepted: unknown } | { readonly refused: unknown } | { readonly threw: string };

async function outcome(pipe: PipeTransform, body: unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  try {
    return { accepted: shape(await pipe.transform(copy(body), metadata)) };
  } catch (error) {
    // A rule that throws (validator's isEmail on a lone surrogate, which the JSON guard refuses first) must throw the same.
    if (!(error instanceof HttpException)) return { threw: String(error) };
    return { refused: [error.getStatus(), error.getResponse()] };
  }
}

const oracle: Oracle = async (type, body) => {
  const answer = await outcome(plain, body, { type: 'body', metatype: type as never });
  if ('threw' in answer) return [{ field: '' }];
  return 'refused' in answer ? ((answer.refused as [number, { errors?: { field: string }[] }])[1].errors ?? [{ field: '' }]) : undefined;
};

/** Class, own keys in order and values, recursively: what a handler could observe of an instance. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return ['array', Object.keys(value).length, value.map(shape)];
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name: string } } | null;
    return ['object', prototype?.constructor?.name ?? null, Object.entries(value).map(([key, item]) => [key, shape(item)])];
  }
  return [typeof value, Object.is(value, -0) ? '-0' : value];
}

/** A deep copy that keeps null prototypes, holes and typed arrays (each pipe gets its own: the plain one edits in place). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (const key of Object.keys(value)) items[Number(key)] = copy(value[Number(key)]);
    return items;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === 'object' && value !== null) {
    const target = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    for (const key of Object.keys(value)) Object.defineProperty(target, key, { value: copy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return target;
  }
  return value;
}

/** The fast path's own answer; a rule that throws throws in both pipes (compared above), here it is no answer. */
function fastAnswer(fastPath: FastValidation, body: unknown, type: Function): object | undefined {
  try {
    return fastPath.transform(copy(body), type);
  } catch {
    return undefined;
  }
}

async function nestedBodies(type: Function, depth = 0): Promise<unknown[]> {
  const candidates = new Map(memberNames(type).map((name) => [name, depth > 2 ? [] : memberCandidates(type, name, () => [])]));
  const good = await acceptedValues(type, candidates, oracle);
  return bodyCases(good, candidates).slice(0, 40).map((entry) => entry.body);
}

async function casesFor(type: Function): Promise<{ rule: string; body: unknown }[]> {
  const names = memberNames(type);
  const nested = new Map<Function, unknown[]>();
  for (const name of names) {
    memberCandidates(type, name, (inner) => {
      if (!nested.has(inner)) nested.set(inner, []);
      return [];
    });
  }
  for (const inner of nested.keys()) nested.set(inner, await nestedBodies(inner));
  const candidates = new Map(names.map((name) => [name, memberCandidates(type, name, (inner) => nested.get(inner) ?? [])]));
  const good = await acceptedValues(type, candidates, oracle);
  return bodyCases(good, candidates);
}

describe('the validation fast path gives the plain pipe’s outcome', () => {
  it('finds the DTO classes of the routes (the generator has something to compare)', () => {
    expect(dtos.length).toBeGreaterThan(10);
  });

  it('compiles a plan for every DTO class a route validates (none is left to the slow path by its decorators)', () => {
    const refused: string[] = [];
    const fastPath = new FastValidation((type, reason) => refused.push(`${type.name}: ${reason}`));
    for (const { type } of dtos) fastPath.plan(type);
    expect(refused).toEqual([]);
  });

  for (const where of ['body', 'query'] as const) {
    it.each(dtos.map((dto) => [dto.type.name, dto] as const))(`%s as the ${where}: same instance or same 400 for every generated body`, async (_name, dto) => {
      const metadata: ArgumentMetadata = { type: where, metatype: dto.type as never };
      const cases = await casesFor(dto.type);
      let accepted = 0;
      let fastAccepted = 0;
      const direct = new FastValidation();
      for (const entry of cases) {
        const [expected, actual] = [await outcome(plain, entry.body, metadata), await outcome(fast, entry.body, metadata)];
        if ('accepted' in expected) accepted += 1;
        if (fastAnswer(direct, entry.body, dto.type) !== undefined) fastAccepted += 1;
        expect({ rule: entry.rule, outcome: actual }).toEqual({ rule: entry.rule, outcome: expected });
      }
      expect(cases.length).toBeGreaterThan(50);
      expect(accepted).toBeGreaterThan(0);
      // Only the bodies the plain pipe edits first (a `__proto__` or `constructor` member it deletes) are valid yet not fast.
      expect(fastAccepted).toBeGreaterThanOrEqual(accepted - 2);
    });
  }

  it('answers a valid send from the fast path, without asking class-validator', async () => {
    const fastPath = new FastValidation();
    const send = dtos.find((dto) => dto.type.name === 'SendMessageDto');
    expect(send).toBeDefined();
    const body = {
      recipient: { hetu: '131052-308T' },
      kind: 'decision',
      delivery: 'ordinary',
      subject: 'Päätös',
      body: 'Teksti\nrivi',
      notification: { reminders: true, text: { fi: 'Huomio' } },
      attachments: ['att_12345678'],
      appealPeriodDays: 30,
    };
    const instance = fastPath.transform(body, (send as { type: Function }).type);
    expect(shape(instance)).toEqual(shape(await plain.transform(copy(body), { type: 'body', metatype: (send as { type: Function }).type as never })));
  });

  it('leaves an invalid body, an extra member and a hole in an array to the plain pipe', () => {
    const fastPath = new FastValidation();
    const send = (dtos.find((dto) => dto.type.name === 'SendMessageDto') as { type: Function }).type;
    const valid = { recipient: { hetu: '131052-308T' }, kind: 'decision', delivery: 'ordinary', subject: 'S', body: 'B' };
    expect(fastPath.transform(valid, send)).toBeDefined();
    expect(fastPath.transform({ ...valid, subject: '' }, send)).toBeUndefined();
    expect(fastPath.transform({ ...valid, extra: 1 }, send)).toBeUndefined();
    expect(fastPath.transform({ ...valid, recipient: { hetu: '131052-308T', extra: 1 } }, send)).toBeUndefined();
    // eslint-disable-next-line no-sparse-arrays
    expect(fastPath.transform({ ...valid, attachments: [, 'att_12345678'] }, send)).toBeUndefined();
  });

  it('refuses to compile a class it does not model (an async rule, @Transform, a getter) so that it keeps the slow path', async () => {
    const { modelGaps } = await import('../../../../../test/support/unmodelled-dtos');
    const refused: string[] = [];
    const fastPath = new FastValidation((type) => refused.push(type.name));
    for (const type of modelGaps) expect(fastPath.plan(type)).toBeUndefined();
    expect(refused).toEqual(modelGaps.map((type) => type.name));
  });
});
