import { MAX_FILE_NAME_BYTES, contentDisposition, sanitiseFileName } from './file-name';

describe('sanitiseFileName', () => {
  it.each([
    ['keeps an ordinary name', 'Hakemus 2026.pdf', 'Hakemus 2026.pdf'],
    ['keeps only the last segment of a relative path', '../../etc/passwd', 'passwd'],
    ['keeps only the last segment of a Windows path', 'C:\\Users\\maija\\liite.docx', 'liite.docx'],
    ['removes control characters', 'a\u0000b\u001fc\u007fd\u0085.txt', 'abcd.txt'],
    ['removes a right-to-left override that would disguise the extension', 'lasku\u202efdp.exe', 'laskufdp.exe'],
    ['removes zero-width characters', 'li\u200bite.pdf', 'liite.pdf'],
    ['replaces characters Windows reserves', 'a<b>c:d"e|f?g*.pdf', 'a_b_c_d_e_f_g_.pdf'],
    ['drops leading dots, so no hidden file appears', '.bashrc', 'bashrc'],
    ['drops trailing dots and spaces, which Windows drops anyway', 'liite.pdf. . ', 'liite.pdf'],
    ['normalises to NFC', 'Pa\u0308a\u0308to\u0308s.pdf', 'Päätös.pdf'],
    ['leaves nothing of a bare path', '../..//', ''],
    ['leaves nothing of dots alone', '..', ''],
  ])('%s', (_case, raw, expected) => {
    expect(sanitiseFileName(raw)).toBe(expected);
  });

  it('keeps a name of exactly 255 bytes', () => {
    const name = `${'a'.repeat(251)}.pdf`;
    expect(sanitiseFileName(name)).toBe(name);
  });

  it('cuts a longer name to 255 UTF-8 bytes, whole characters only, keeping the extension', () => {
    const cut = sanitiseFileName(`${'ä'.repeat(200)}.pdf`);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(cut).toBe(`${'ä'.repeat(125)}.pdf`);
    expect(cut).not.toContain('\ufffd');
  });

  it('cuts a long name without an extension at 255 bytes', () => {
    expect(sanitiseFileName('x'.repeat(300))).toBe('x'.repeat(255));
  });
});

describe('contentDisposition', () => {
  it('offers an ASCII fallback without accents and the exact name percent-encoded (RFC 6266, RFC 8187)', () => {
    expect(contentDisposition('Päätös 2026.pdf')).toBe(`attachment; filename="Paatos 2026.pdf"; filename*=UTF-8''P%C3%A4%C3%A4t%C3%B6s%202026.pdf`);
  });

  it('never lets a quote, backslash or percent sign into the quoted fallback', () => {
    expect(contentDisposition('50% "alennus"\\.pdf')).toMatch(/^attachment; filename="50_ _alennus__\.pdf"; /);
  });

  it('encodes the characters encodeURIComponent leaves but RFC 8187 does not allow', () => {
    expect(contentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
  });

  it('falls back to "attachment" when nothing of the name is ASCII', () => {
    expect(contentDisposition('文件')).toBe(`attachment; filename="__"; filename*=UTF-8''%E6%96%87%E4%BB%B6`);
    expect(contentDisposition('  ')).toMatch(/^attachment; filename="attachment"/);
  });
});
