import { ContentMismatchError, TextContentCheck, checkHead, zipEntriesIn } from './content-check';
import { declaredType } from './content-types';
import { DOCX, ODT, zipOf } from './testing/zip-fixture';

const MZ = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const OLE2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');

function check(contentType: string, head: Buffer): void {
  const type = declaredType(contentType);
  if (!type) throw new Error(`not allowed: ${contentType}`);
  checkHead(head, type.family, type.mediaType);
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODT_TYPE = 'application/vnd.oasis.opendocument.text';

describe('checking content against the declared type by its first bytes', () => {
  it.each([
    ['a PDF', 'application/pdf', PDF],
    ['a JPEG', 'image/jpeg', JPEG],
    ['a PNG', 'image/png', PNG],
    ['a Word 97–2003 document (OLE2)', 'application/msword', OLE2],
    ['an Excel 97–2003 workbook (OLE2)', 'application/vnd.ms-excel', OLE2],
    ['a docx', DOCX_TYPE, DOCX()],
    ['an odt', ODT_TYPE, ODT()],
  ])('accepts %s', (_case, type, head) => {
    expect(() => check(type, head)).not.toThrow();
  });

  it.each([
    ['a Windows executable declared as PDF', 'application/pdf', MZ, /not PDF; it looks like a Windows executable/],
    ['an ELF executable declared as PNG', 'image/png', ELF, /it looks like an ELF executable/],
    ['a PNG declared as JPEG', 'image/jpeg', PNG, /not JPEG/],
    ['a PDF whose signature is not at the start', 'application/pdf', Buffer.concat([Buffer.from('junk'), PDF]), /not PDF/],
    ['an empty file declared as PDF', 'application/pdf', Buffer.alloc(0), /not PDF/],
    ['a Windows executable declared as a Word 97–2003 document', 'application/msword', MZ, /OLE2/],
  ])('refuses %s', (_case, type, head, reason) => {
    expect(() => check(type, head)).toThrow(ContentMismatchError);
    expect(() => check(type, head)).toThrow(reason);
  });
});

describe('Office Open XML packages', () => {
  it('accepts a package whose first entry is a part of the declared family even when sizes come in data descriptors', () => {
    const streamed = zipOf([{ name: 'word/document.xml', content: '<w:document/>', deflate: true, dataDescriptor: true }]);
    expect(() => check(DOCX_TYPE, streamed)).not.toThrow();
  });

  it('refuses a plain ZIP archive declared as docx', () => {
    expect(() => check(DOCX_TYPE, zipOf([{ name: 'setup.exe', content: 'MZ' }]))).toThrow(/not an Office Open XML package/);
  });

  it('refuses a docx declared as an xlsx, by the word/ parts it holds', () => {
    expect(() => check(XLSX_TYPE, DOCX())).toThrow(/holds word\/ parts, not xl\/ ones/);
  });

  it('refuses an OpenDocument package declared as docx', () => {
    expect(() => check(DOCX_TYPE, ODT())).toThrow(/OpenDocument package, not Office Open XML/);
  });

  it('refuses a Windows executable declared as docx', () => {
    expect(() => check(DOCX_TYPE, MZ)).toThrow(/no ZIP header\); it looks like a Windows executable/);
  });
});

describe('OpenDocument packages', () => {
  it('refuses a package whose mimetype names another OpenDocument type', () => {
    expect(() => check(ODT_TYPE, ODT('application/vnd.oasis.opendocument.spreadsheet'))).toThrow(/not application\/vnd.oasis.opendocument.text/);
  });

  it('refuses a package whose mimetype entry is compressed', () => {
    const compressed = zipOf([{ name: 'mimetype', content: ODT_TYPE, deflate: true }]);
    expect(() => check(ODT_TYPE, compressed)).toThrow(/uncompressed "mimetype" entry/);
  });

  it('refuses a package whose first entry is not mimetype', () => {
    expect(() => check(ODT_TYPE, DOCX())).toThrow(/uncompressed "mimetype" entry/);
  });

  it('refuses a package cut off before the end of its mimetype', () => {
    expect(() => check(ODT_TYPE, ODT().subarray(0, 40))).toThrow(ContentMismatchError);
  });
});

describe('walking ZIP local headers', () => {
  it('lists entries in file order while their sizes are known', () => {
    expect(zipEntriesIn(DOCX()).map((entry) => entry.name)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });

  it('stops after an entry whose size is in a data descriptor', () => {
    const zip = zipOf([
      { name: 'a.xml', content: 'a', dataDescriptor: true },
      { name: 'b.xml', content: 'b' },
    ]);
    expect(zipEntriesIn(zip).map((entry) => entry.name)).toEqual(['a.xml']);
  });

  it('stops at a header cut off by the end of the head', () => {
    expect(zipEntriesIn(DOCX().subarray(0, 35))).toEqual([]);
  });

  it('finds nothing in what is not a ZIP file', () => {
    expect(zipEntriesIn(PDF)).toEqual([]);
  });
});

describe('plain text, checked to the end', () => {
  const text = (charset: ConstructorParameters<typeof TextContentCheck>[0], ...chunks: Buffer[]): void => {
    const check = new TextContentCheck(charset);
    for (const chunk of chunks) check.feed(chunk);
    check.finish();
  };

  it('accepts UTF-8 with tabs, line breaks and form feeds', () => {
    expect(() => text('utf-8', Buffer.from('Hei!\tTässä\r\nliite 😀\f\n'))).not.toThrow();
  });

  it('accepts a UTF-8 character split between two chunks', () => {
    const bytes = Buffer.from('ä');
    expect(() => text('utf-8', Buffer.from([0x61, bytes[0]!]), Buffer.from([bytes[1]!, 0x62]))).not.toThrow();
  });

  it('accepts an empty file', () => {
    expect(() => text('utf-8')).not.toThrow();
  });

  it('refuses invalid UTF-8', () => {
    expect(() => text('utf-8', Buffer.from([0x61, 0xc3, 0x28]))).toThrow(/not valid utf-8 text/);
  });

  it('refuses a UTF-8 sequence cut off by the end of the file', () => {
    expect(() => text('utf-8', Buffer.from([0x61, 0xc3]))).toThrow(/not valid utf-8 text/);
  });

  it('refuses a NUL byte, even deep in the file', () => {
    expect(() => text('utf-8', Buffer.alloc(100_000, 0x61), Buffer.from([0x61, 0x00]))).toThrow(/byte 100001 is a control character/);
  });

  it('refuses a Windows executable declared as text, naming it', () => {
    expect(() => text('utf-8', MZ)).toThrow(/control character: the content is not plain text; it looks like a Windows executable/);
  });

  it('refuses an escape character (terminal control sequences)', () => {
    expect(() => text('utf-8', Buffer.from('\u001b[31mred'))).toThrow(ContentMismatchError);
  });

  it('accepts Latin-1 bytes above 0x7F when the charset says Latin-1', () => {
    expect(() => text('iso-8859-1', Buffer.from([0x70, 0xe4, 0xe4, 0x74, 0xf6, 0x73]))).not.toThrow();
  });

  it('refuses a byte above 0x7F in US-ASCII', () => {
    expect(() => text('us-ascii', Buffer.from([0x61, 0xe4]))).toThrow(/byte 1 is not US-ASCII/);
  });
});
