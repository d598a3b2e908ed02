import { LANGUAGES, TEXTS, formatDate, formatDateTime } from '../../apps/web/src/texts';

/**
 * Swedish and English start from the Finnish texts and override them; a key forgotten in either
 * would silently show Finnish. Words that are the same in every language are listed here.
 */
const SAME_IN_EVERY_LANGUAGE = new Set(['service']);

function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (typeof value === 'function') out.set(path, (value as (...args: unknown[]) => unknown)('X', 'Y'));
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) leaves(inner, path ? `${path}.${key}` : key, out);
  else out.set(path, value);
  return out;
}

describe('web inbox texts', () => {
  const finnish = leaves(TEXTS.fi, '', new Map());

  it.each(['sv', 'en'] as const)('%s translates every Finnish text (none left in Finnish)', (language) => {
    const own = leaves(TEXTS[language], '', new Map());
    const untranslated = [...finnish.keys()].filter((key) => !SAME_IN_EVERY_LANGUAGE.has(key) && own.get(key) === finnish.get(key));
    expect(untranslated).toEqual([]);
  });

  it('every language has the same keys', () => {
    for (const language of LANGUAGES) expect([...leaves(TEXTS[language], '', new Map()).keys()].sort()).toEqual([...finnish.keys()].sort());
  });

  it('dates are the Helsinki calendar day, whatever the hour in UTC', () => {
    // 22:30 UTC on 14 December is already 15 December in Helsinki.
    expect(formatDate('fi', '2026-12-14T22:30:00Z')).toBe('15.12.2026');
    expect(formatDate('en', '2026-12-15')).toBe('15/12/2026');
    expect(formatDateTime('fi', '2026-12-14T22:30:00Z')).toMatch(/^15\.12\.2026 klo 0?0\.30$/);
  });
});
