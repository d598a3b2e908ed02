/**
 * Does the content match its declared type? Magic bytes for the binary formats, a look inside
 * the ZIP container for Office Open XML and OpenDocument, and a whole-file scan for plain text.
 *
 * What is checked, per family (see docs/two-way.md):
 * - PDF: `%PDF-` at offset 0.
 * - JPEG: FF D8 FF. PNG: the 8-byte PNG signature.
 * - Office 97–2003 (doc/xls/ppt): the OLE2 compound-file signature D0 CF 11 E0 A1 B1 1A E1. The
 *   three share the container; telling them apart would mean parsing its directory, which is not
 *   done, so a .xls declared as a .doc passes.
 * - OOXML (docx/xlsx/pptx): a ZIP local-file header at offset 0 whose first entry is a package
 *   part (`[Content_Types].xml`, `_rels/`, `docProps/`, `customXml/` or the family's own folder),
 *   and no entry seen in the first bytes belongs to another family's folder (`word/` in a
 *   declared spreadsheet, say). Entries are walked while their sizes are in the local headers;
 *   the central directory at the end is not read (it arrives last in a stream).
 * - OpenDocument (odt/ods/odp): as the ODF package format requires, the first entry is
 *   `mimetype`, stored uncompressed, and its content is exactly the declared media type.
 * - Plain text: the whole file decodes in its charset (UTF-8 strictly) and holds no control
 *   characters other than tab, line feed, vertical tab, form feed and carriage return, so a
 *   binary (an executable has NUL bytes within its first few hundred) never passes as text.
 */
import { TextDecoder } from 'node:util';
import { assertNever } from '@asiointitili/domain';
import type { ContentFamily, TextCharset } from './content-types';

/** How many leading bytes the binary checks look at. */
export const HEAD_BYTES = 64 * 1024;

export class ContentMismatchError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ContentMismatchError';
  }
}

const PDF = Buffer.from('%PDF-', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL_HEADER = 0x04034b50;

/** Signatures of executables, named in the refusal so an operator sees what was tried. */
const EXECUTABLES: readonly { readonly name: string; readonly magic: Buffer }[] = [
  { name: 'a Windows executable (MZ)', magic: Buffer.from('MZ', 'latin1') },
  { name: 'an ELF executable', magic: Buffer.from([0x7f, 0x45, 0x4c, 0x46]) },
  { name: 'a Mach-O executable', magic: Buffer.from([0xcf, 0xfa, 0xed, 0xfe]) },
  { name: 'a Mach-O executable', magic: Buffer.from([0xce, 0xfa, 0xed, 0xfe]) },
  { name: 'a Mach-O or Java class file', magic: Buffer.from([0xca, 0xfe, 0xba, 0xbe]) },
];

/**
 * Checks the first bytes of a file (`head`: up to HEAD_BYTES, or the whole file if shorter) for
 * a binary family; text is checked by TextContentCheck over the whole stream instead.
 * Throws ContentMismatchError.
 */
export function checkHead(head: Buffer, family: ContentFamily, mediaType: string): void {
  switch (family.kind) {
    case 'pdf':
      return expectMagic(head, PDF, 'PDF');
    case 'jpeg':
      return expectMagic(head, JPEG, 'JPEG');
    case 'png':
      return expectMagic(head, PNG, 'PNG');
    case 'ole2':
      return expectMagic(head, OLE2, 'an Office 97–2003 (OLE2) document');
    case 'ooxml':
      return checkOoxml(head, family.partDirectory);
    case 'odf':
      return checkOpenDocument(head, mediaType);
    case 'text':
      return;
    default:
      return assertNever(family);
  }
}

function expectMagic(head: Buffer, magic: Buffer, what: string): void {
  if (head.length >= magic.length && head.subarray(0, magic.length).equals(magic)) return;
  throw new ContentMismatchError(`the content is not ${what}${executableHint(head)}`);
}

function executableHint(head: Buffer): string {
  const found = EXECUTABLES.find(({ magic }) => head.length >= magic.length && head.subarray(0, magic.length).equals(magic));
  return found ? `; it looks like ${found.name}` : '';
}

// ---------------------------------------------------------------- ZIP containers

export interface ZipEntryHeader {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  /** Offset of the entry's data in the file. */
  readonly dataOffset: number;
  readonly compressedSize: number;
}

const MAX_ENTRIES_WALKED = 256;

/**
 * The entries whose local headers lie within `head`, in file order. Stops at the first entry
 * whose size is not in its local header (general-purpose flag bit 3, or ZIP64), since the next
 * header cannot be found without inflating; returns [] when `head` does not start with one.
 */
export function zipEntriesIn(head: Buffer): ZipEntryHeader[] {
  const entries: ZipEntryHeader[] = [];
  let offset = 0;
  while (entries.length < MAX_ENTRIES_WALKED && offset + 30 <= head.length && head.readUInt32LE(offset) === ZIP_LOCAL_HEADER) {
    const flags = head.readUInt16LE(offset + 6);
    const method = head.readUInt16LE(offset + 8);
    const compressedSize = head.readUInt32LE(offset + 18);
    const nameLength = head.readUInt16LE(offset + 26);
    const extraLength = head.readUInt16LE(offset + 28);
    const nameEnd = offset + 30 + nameLength;
    if (nameEnd > head.length) break;
    // Bit 11: UTF-8 names; otherwise CP437, which agrees with latin1 on the ASCII part names that matter here.
    const name = head.toString(flags & 0x0800 ? 'utf8' : 'latin1', offset + 30, nameEnd);
    const dataOffset = nameEnd + extraLength;
    entries.push({ name, method, dataOffset, compressedSize });
    if (flags & 0x0008 || compressedSize === 0xffffffff) break;
    offset = dataOffset + compressedSize;
  }
  return entries;
}

const OOXML_DIRECTORIES = ['word', 'xl', 'ppt'] as const;

function isPackagePart(name: string, own: string): boolean {
  return name === '[Content_Types].xml' || /^(_rels|docProps|customXml)\//.test(name) || name.startsWith(`${own}/`);
}

function checkOoxml(head: Buffer, own: (typeof OOXML_DIRECTORIES)[number]): void {
  const entries = zipEntriesIn(head);
  const first = entries[0];
  if (!first) throw new ContentMismatchError(`the content is not an Office Open XML package (no ZIP header)${executableHint(head)}`);
  if (first.name === 'mimetype') throw new ContentMismatchError('the content is an OpenDocument package, not Office Open XML');
  if (!isPackagePart(first.name, own)) throw new ContentMismatchError('the ZIP archive is not an Office Open XML package');
  const foreign = entries.find((entry) => OOXML_DIRECTORIES.some((dir) => dir !== own && entry.name.startsWith(`${dir}/`)));
  if (foreign) throw new ContentMismatchError(`the package holds ${foreign.name.split('/')[0]}/ parts, not ${own}/ ones: it is another Office format`);
}

function checkOpenDocument(head: Buffer, mediaType: string): void {
  const first = zipEntriesIn(head)[0];
  if (!first) throw new ContentMismatchError(`the content is not an OpenDocument package (no ZIP header)${executableHint(head)}`);
  if (first.name !== 'mimetype' || first.method !== 0) {
    throw new ContentMismatchError('an OpenDocument package starts with an uncompressed "mimetype" entry; this one does not');
  }
  const end = first.dataOffset + first.compressedSize;
  const declared = end <= head.length ? head.toString('latin1', first.dataOffset, end) : '';
  if (declared !== mediaType) throw new ContentMismatchError(`the package says it is ${JSON.stringify(declared.slice(0, 100))}, not ${mediaType}`);
}

// ---------------------------------------------------------------- plain text

/** Tab, line feed, vertical tab, form feed and carriage return: the only controls text may hold. */
const isAllowedControl = (code: number): boolean => code >= 0x09 && code <= 0x0d;
const isForbiddenCode = (code: number): boolean => (code < 0x20 && !isAllowedControl(code)) || code === 0x7f;

/**
 * Checks a text/plain file chunk by chunk, so the whole file is checked without holding it.
 * UTF-8 (and US-ASCII, its subset) must decode strictly, sequences split across chunks included;
 * the single-byte charsets decode anything, so for them only the control bytes are checked.
 */
export class TextContentCheck {
  private readonly decoder: TextDecoder | null;
  private offset = 0;

  constructor(private readonly charset: TextCharset) {
    this.decoder = charset === 'utf-8' || charset === 'us-ascii' ? new TextDecoder('utf-8', { fatal: true }) : null;
  }

  feed(chunk: Buffer): void {
    if (this.charset === 'us-ascii') {
      const high = chunk.findIndex((byte) => byte > 0x7f);
      if (high >= 0) throw new ContentMismatchError(`byte ${this.offset + high} is not US-ASCII`);
    }
    const forbidden = chunk.findIndex(isForbiddenCode);
    if (forbidden >= 0) {
      throw new ContentMismatchError(`byte ${this.offset + forbidden} is a control character: the content is not plain text${this.offset === 0 ? executableHint(chunk) : ''}`);
    }
    if (this.decoder) this.decode(() => this.decoder!.decode(chunk, { stream: true }));
    this.offset += chunk.length;
  }

  /** Call at the end of the file: a UTF-8 sequence cut off by the end is refused too. */
  finish(): void {
    if (this.decoder) this.decode(() => this.decoder!.decode());
  }

  private decode(run: () => string): void {
    try {
      run();
    } catch {
      throw new ContentMismatchError(`the content is not valid ${this.charset} text (near byte ${this.offset})`);
    }
  }
}
