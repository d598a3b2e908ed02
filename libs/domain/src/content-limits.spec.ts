import { attachmentsProblem, BODY_MAX_CHARACTERS, bodyProblem, MAX_ATTACHMENTS, SUBJECT_MAX_CHARACTERS, subjectProblem } from './content-limits';
import { attachment } from './testing/message-fixtures';

describe('content limits', () => {
  it('names the limits of the API contract', () => {
    expect([SUBJECT_MAX_CHARACTERS, BODY_MAX_CHARACTERS, MAX_ATTACHMENTS]).toEqual([256, 40_000, 50]);
  });

  it('counts characters as code points: 256 emoji fit a subject, 257 do not', () => {
    expect(subjectProblem('😀'.repeat(256))).toBeUndefined();
    expect(subjectProblem('😀'.repeat(257))?.code).toBe('subject-too-long');
  });

  it('counts a body of 40,000 emoji as 40,000 characters', () => {
    expect(bodyProblem('😀'.repeat(40_000), { required: true })).toBeUndefined();
    expect(bodyProblem('😀'.repeat(40_001), { required: true })?.code).toBe('body-too-long');
  });

  it('takes an empty body only where the body is optional', () => {
    expect(bodyProblem('', { required: false })).toBeUndefined();
    expect(bodyProblem('\n', { required: true })).toEqual({ kind: 'invalid', code: 'body-required', detail: expect.any(String) });
  });

  it('allows no attachments at all', () => {
    expect(attachmentsProblem([])).toBeUndefined();
  });

  it('refuses the same attachment id twice even when the rest differs', () => {
    expect(attachmentsProblem([attachment(1), { ...attachment(2), id: 'att-1' }])?.code).toBe('duplicate-attachment');
  });
});
