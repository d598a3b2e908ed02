/**
 * Personal data that can reach a log line through text we do not write ourselves: a mail
 * server's refusal quotes the recipient's address, a driver error quotes a value. The process log
 * goes to operators and log systems with their own retention, so these are masked at the one
 * place every log line passes (the pino logger's output, pino-logger.ts). Message content cannot
 * be recognised by shape; the code keeps it out of log calls instead
 * (test/e2e/no-personal-data.e2e-spec.ts).
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Henkilötunnus: DDMMYY, a century sign (old and 2023 ones), three digits, a check character.
  [/\b(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]\b/gi, '[hetu]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[email]'],
  // International (E.164) phone numbers; bare digit runs are positions and counts, not phones.
  [/\+\d{7,15}\b/g, '[phone]'],
];

export function redactPersonalData(text: string): string {
  return PATTERNS.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}
