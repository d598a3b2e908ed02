import { redactPersonalData } from './redacting-logger';

describe('redactPersonalData', () => {
  it.each([
    ['a henkilötunnus of the 1900s', 'no account for 131052-308T here', 'no account for [hetu] here'],
    ['a henkilötunnus of the 2000s with a new century sign', 'ref 020202B002F', 'ref [hetu]'],
    ['a henkilötunnus in lower case', '131052-308t', '[hetu]'],
    ['an email address quoted by a mail server', '550 <maija.virtanen@example.fi>: Recipient address rejected', '550 <[email]>: Recipient address rejected'],
    ['an E.164 phone number', 'sms to +358401234567 failed', 'sms to [phone] failed'],
  ])('masks %s', (_what, text, masked) => {
    expect(redactPersonalData(text)).toBe(masked);
  });

  it('leaves positions, ports, ids and dates alone', () => {
    const text = 'projections at 123456789, port 3000, message m-0b6e1c1e-8d4f-4f6a-9f77-1d1f0f6b2a11, 2025-11-24T10:00:00.000Z';
    expect(redactPersonalData(text)).toBe(text);
  });
});
