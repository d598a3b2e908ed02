import 'reflect-metadata';
import { casesFor, copy, pipeOracle } from '../../../../../test/support/pipe-equivalence';
import { withServiceClock } from '../../identity/service-date';
import { FastValidation } from '../fast-validation/fast-path';
import { createValidationPipe } from '../validation';
import { SendMessageDto } from './agency.dto';
import { bulkItemChecker } from './bulk-send.dto';

/** A bulk item checked through the fast path gets the answer it got without it: the same input or the same problems. */
const clock = { now: () => new Date('2026-12-07T10:00:00Z') };

describe('a bulk item with the validation fast path', () => {
  it('is judged exactly as without it, for every generated send body (an item is a plain object)', async () => {
    const cases = (await casesFor(SendMessageDto, pipeOracle(createValidationPipe(clock, { fastPath: false })))).filter(
      (entry) => typeof entry.body === 'object' && entry.body !== null && !Array.isArray(entry.body) && !(entry.body instanceof Uint8Array),
    );
    const [slow, fast] = [bulkItemChecker(undefined), bulkItemChecker(new FastValidation())];
    let ok = 0;
    for (const entry of cases) {
      const body = { externalId: 'ext-1', ...(entry.body as Record<string, unknown>) };
      const judge = (check: typeof slow) => {
        try {
          return withServiceClock(clock, () => check(copy(body) as Record<string, unknown>));
        } catch (error) {
          return String(error);
        }
      };
      const expected = judge(slow);
      if (typeof expected === 'object' && expected.ok) ok += 1;
      expect({ rule: entry.rule, item: judge(fast) }).toEqual({ rule: entry.rule, item: expected });
    }
    expect(ok).toBeGreaterThan(10);
  });
});
