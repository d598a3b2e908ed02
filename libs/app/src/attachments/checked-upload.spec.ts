import { PassThrough, Readable } from 'node:stream';
import { checkedUpload } from './checked-upload';
import { ContentMismatchError, HEAD_BYTES } from './content-check';
import { declaredType, type DeclaredType } from './content-types';

const type = (header: string): DeclaredType => declaredType(header)!;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that delivers `content` in chunks of `size` bytes, like a request body off the socket. */
function chunked(content: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += size) parts.push(content.subarray(offset, offset + size));
  return Readable.from(parts, { objectMode: false });
}

describe('checkedUpload', () => {
  it('passes a file longer than the head through unchanged, however it is chunked', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * HEAD_BYTES, 7)]);
    for (const size of [997, 1000, HEAD_BYTES + 3]) {
      const upload = await checkedUpload(chunked(pdf, size), type('application/pdf'));
      expect((await collect(upload.content)).equals(pdf)).toBe(true);
    }
  });

  it('passes a file shorter than the head through unchanged', async () => {
    const upload = await checkedUpload(chunked(Buffer.from('%PDF-1.4 tiny'), 4), type('application/pdf'));
    expect((await collect(upload.content)).toString()).toBe('%PDF-1.4 tiny');
  });

  it('refuses a mismatching head before the content is handed on, and drains the rest instead of destroying the source', async () => {
    const source = new PassThrough();
    source.write(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(HEAD_BYTES)]));
    const refused = checkedUpload(source, type('application/pdf'));
    await expect(refused).rejects.toBeInstanceOf(ContentMismatchError);
    const ended = new Promise((resolve) => source.on('end', resolve));
    source.end(Buffer.alloc(HEAD_BYTES));
    await ended;
    // Read to the end rather than destroyed: the refusal can still be answered on the socket.
    expect(source.readableEnded).toBe(true);
    expect(source.errored).toBeNull();
  });

  it('fails the content stream when text turns out not to be text after the head', async () => {
    const text = Buffer.concat([Buffer.alloc(HEAD_BYTES * 2, 0x61), Buffer.from([0x00]), Buffer.alloc(10, 0x61)]);
    const upload = await checkedUpload(chunked(text, 4096), type('text/plain'));
    await expect(collect(upload.content)).rejects.toThrow(`byte ${HEAD_BYTES * 2} is a control character`);
  });

  it('refuses text whose last UTF-8 character is cut off, at the end of the stream', async () => {
    const upload = await checkedUpload(chunked(Buffer.from([0x61, 0xe2, 0x82]), 1), type('text/plain'));
    await expect(collect(upload.content)).rejects.toBeInstanceOf(ContentMismatchError);
  });
});
