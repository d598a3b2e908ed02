import { ALLOWED_TYPES, declaredType } from './content-types';

describe('the declared attachment type', () => {
  it('accepts every type on the allowlist, case-insensitively, storing it in lower case', () => {
    for (const mediaType of Object.keys(ALLOWED_TYPES)) {
      expect(declaredType(mediaType.toUpperCase())?.mediaType).toBe(mediaType);
    }
    expect(Object.keys(ALLOWED_TYPES)).toHaveLength(13);
  });

  it('ignores parameters of binary types', () => {
    expect(declaredType('application/pdf; name="x.pdf"')).toMatchObject({ mediaType: 'application/pdf', contentType: 'application/pdf' });
  });

  it('reads a text charset, defaulting to UTF-8, and stores it in the content type', () => {
    expect(declaredType('text/plain')).toMatchObject({ charset: 'utf-8', contentType: 'text/plain; charset=utf-8' });
    expect(declaredType('text/plain; charset="ISO-8859-1"')).toMatchObject({ charset: 'iso-8859-1', contentType: 'text/plain; charset=iso-8859-1' });
    expect(declaredType('text/plain;charset=utf8')?.charset).toBe('utf-8');
  });

  it.each([
    ['no Content-Type', undefined],
    ['an executable type', 'application/x-msdownload'],
    ['HTML, which a browser would run', 'text/html'],
    ['SVG, which can carry script', 'image/svg+xml'],
    ['a generic binary', 'application/octet-stream'],
    ['a malformed type', 'application/pdf/x'],
    ['a type without a subtype', 'application'],
    ['text in an unsupported charset', 'text/plain; charset=koi8-r'],
    ['an inherited object property name', 'constructor/x'],
  ])('refuses %s', (_case, header) => {
    expect(declaredType(header)).toBeNull();
  });
});
