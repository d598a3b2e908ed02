import { statusAfterMessage, statusAfterReply, type ApplicationStatus } from './application-status';

describe('the status of an application', () => {
  it('is decided by a decision, for good', () => {
    expect(statusAfterMessage('submitted', 'decision')).toBe('decided');
    expect(statusAfterMessage('information-requested', 'decision')).toBe('decided');
    for (const kind of ['decision', 'notice', 'information-request', 'general'] as const) {
      expect(statusAfterMessage('decided', kind)).toBe('decided');
    }
    expect(statusAfterReply('decided')).toBe('decided');
  });

  it('waits for the citizen after an information request, until a reply provides it', () => {
    const requested = statusAfterMessage('submitted', 'information-request');
    expect(requested).toBe('information-requested');
    expect(statusAfterMessage(requested, 'notice')).toBe('information-requested');
    expect(statusAfterReply(requested)).toBe('information-provided');
  });

  it('is in progress after a notice or a general message', () => {
    expect(statusAfterMessage('submitted', 'notice')).toBe('in-progress');
    expect(statusAfterMessage('information-provided', 'general')).toBe('in-progress');
  });

  it.each<ApplicationStatus>(['submitted', 'in-progress', 'information-provided'])('is not changed by a reply when %s', (status) => {
    expect(statusAfterReply(status)).toBe(status);
  });
});
