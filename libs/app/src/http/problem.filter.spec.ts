import { EventTooLargeError, MAX_EVENT_BYTES } from '@asiointitili/core';
import { ProblemFilter } from './problem.filter';
import { problemType } from './problem';

describe('ProblemFilter', () => {
  it('answers an event over the store limit with 413 event-too-large, naming the size and the limit but no content', () => {
    const { body } = new ProblemFilter().toProblem(new EventTooLargeError('message-0001', 'MessageSent', 2_000_123));
    expect(body).toMatchObject({ status: 413, type: problemType('event-too-large') });
    expect(body.detail).toBe(`The change would record an event of 2000123 bytes; the limit is ${MAX_EVENT_BYTES} bytes.`);
    expect(body.detail).not.toMatch(/message-0001/);
  });
});
