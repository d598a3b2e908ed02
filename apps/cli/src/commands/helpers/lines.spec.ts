import { linesOf } from './lines';

async function collect(chunks: readonly string[]): Promise<string[]> {
  async function* source() {
    yield* chunks;
  }
  const lines: string[] = [];
  for await (const line of linesOf(source())) lines.push(line);
  return lines;
}

describe('linesOf', () => {
  it('splits on newlines, joining lines that span chunks', async () => {
    expect(await collect(['{"a":', '1}\n{"b"', ':2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('takes a last line without its newline', async () => {
    expect(await collect(['one\ntwo'])).toEqual(['one', 'two']);
  });

  it('keeps empty lines inside the text, so a verifier can name them', async () => {
    expect(await collect(['one\n\ntwo\n'])).toEqual(['one', '', 'two']);
  });

  it('keeps a carriage return as part of its line: only "\\n" ends a line', async () => {
    expect(await collect(['one\r\ntwo\n'])).toEqual(['one\r', 'two']);
  });

  it('yields nothing for an empty text', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect([''])).toEqual([]);
  });
});
