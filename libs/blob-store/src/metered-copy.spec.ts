import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobTooLargeError } from '@asiointitili/core';
import { holdErrors, meteredCopy } from './metered-copy';

describe('meteredCopy', () => {
  const collect = () => {
    const written: Buffer[] = [];
    return { written, write: async (chunk: Buffer) => void written.push(chunk) };
  };

  it('passes every byte through in order and reports size and SHA-256', async () => {
    const sink = collect();
    const parts = [Buffer.from('abc'), new Uint8Array([100, 101]), 'fg'];
    const result = await meteredCopy(Readable.from(parts), sink.write, 7);
    expect(Buffer.concat(sink.written).toString()).toBe('abcdefg');
    expect(result).toEqual({ size: 7, sha256: createHash('sha256').update('abcdefg').digest('hex') });
  });

  it('refuses the chunk that crosses maxBytes before writing it', async () => {
    const sink = collect();
    await expect(meteredCopy(Readable.from([Buffer.alloc(4), Buffer.alloc(4)]), sink.write, 7)).rejects.toEqual(new BlobTooLargeError(7));
    expect(Buffer.concat(sink.written)).toHaveLength(4);
  });

  it('waits for each write before reading the next chunk, so no write is in flight when it fails', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const write = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
    };
    await expect(meteredCopy(Readable.from([Buffer.alloc(3), Buffer.alloc(3), Buffer.alloc(3)]), write, 5)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(maxInFlight).toBe(1);
    expect(inFlight).toBe(0);
  });

  it('rethrows an error the stream raised before copying began, once errors are held', async () => {
    const source = new Readable({ read() {} });
    const release = holdErrors(source);
    source.destroy(new Error('early failure'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(meteredCopy(source, collect().write, 10)).rejects.toThrow('early failure');
    const listeners = source.listenerCount('error');
    release();
    expect(source.listenerCount('error')).toBe(listeners - 1);
  });

  it('refuses chunks that are not bytes or strings', async () => {
    await expect(meteredCopy(Readable.from([{ not: 'bytes' }]), collect().write, 10)).rejects.toThrow(TypeError);
  });
});
