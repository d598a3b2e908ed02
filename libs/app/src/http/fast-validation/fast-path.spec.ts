import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { controllerDtos } from '../../../../../test/support/controller-dtos';
import { casesFor, copy, outcome, pipeOracle, shape } from '../../../../../test/support/pipe-equivalence';
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

const oracle = pipeOracle(plain);

/** The fast path's own answer; a rule that throws throws in both pipes (compared above), here it is no answer. */
function fastAnswer(fastPath: FastValidation, body: unknown, type: Function): object | undefined {
  try {
    return fastPath.transform(copy(body) ?? {}, type); // the pipe hands a missing body over as {}
  } catch {
    return undefined;
  }
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
      const cases = await casesFor(dto.type, oracle);
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

  it('answers a valid send from the fast path of the service’s pipe, with the plain pipe’s instance', async () => {
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
    const spy = jest.spyOn(FastValidation.prototype, 'transform');
    await fast.transform(copy(body), { type: 'body', metatype: (send as { type: Function }).type as never });
    expect(spy.mock.results.map((result) => result.value === undefined)).toEqual([false]); // the service's pipe answered from its fast path
    spy.mockRestore();
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

  it('refuses to compile a class it does not model (an async rule, @Transform, @Expose, a getter, no rules, a throwing constructor) so that it keeps the slow path', async () => {
    const { modelGaps } = await import('../../../../../test/support/unmodelled-dtos');
    const refused: string[] = [];
    const fastPath = new FastValidation((type) => refused.push(type.name));
    for (const type of modelGaps) expect(fastPath.plan(type)).toBeUndefined();
    expect(refused).toEqual(modelGaps.map((type) => type.name));
  });
});
