import { deflateRawSync } from 'node:zlib';

export interface ZipEntryFixture {
  readonly name: string;
  readonly content: string;
  /** Deflate the content (method 8) instead of storing it (method 0). */
  readonly deflate?: boolean;
  /** Set flag bit 3 and zero the sizes, as streaming zip writers do. */
  readonly dataDescriptor?: boolean;
}

/**
 * The start of a ZIP file: local file headers and data, in order (no central directory: the
 * checks never read it). CRCs are left zero for the same reason.
 */
export function zipOf(entries: readonly ZipEntryFixture[]): Buffer {
  return Buffer.concat(
    entries.map((entry) => {
      const raw = Buffer.from(entry.content, 'utf8');
      const data = entry.deflate ? deflateRawSync(raw) : raw;
      const name = Buffer.from(entry.name, 'utf8');
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE((entry.dataDescriptor ? 0x0008 : 0) | 0x0800, 6);
      header.writeUInt16LE(entry.deflate ? 8 : 0, 8);
      header.writeUInt32LE(entry.dataDescriptor ? 0 : data.length, 18);
      header.writeUInt32LE(entry.dataDescriptor ? 0 : raw.length, 22);
      header.writeUInt16LE(name.length, 26);
      header.writeUInt16LE(0, 28);
      return Buffer.concat([header, name, data]);
    }),
  );
}

export const DOCX = (): Buffer =>
  zipOf([
    { name: '[Content_Types].xml', content: '<Types/>', deflate: true },
    { name: '_rels/.rels', content: '<Relationships/>', deflate: true },
    { name: 'word/document.xml', content: '<w:document/>', deflate: true },
  ]);

export const ODT = (mediaType = 'application/vnd.oasis.opendocument.text'): Buffer =>
  zipOf([
    { name: 'mimetype', content: mediaType },
    { name: 'content.xml', content: '<office:document-content/>', deflate: true },
  ]);
