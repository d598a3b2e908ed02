/**
 * The lines of a text stream, split on "\n" only (a "\r" stays part of its line, so a verifier
 * sees every byte that was changed), with the final newline optional. Chunks must be strings
 * (a stream opened with an encoding), so a character split across chunks arrives whole.
 */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let start = 0;
    for (let end = rest.indexOf('\n', start); end !== -1; end = rest.indexOf('\n', start)) {
      yield rest.slice(start, end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  if (rest.length > 0) yield rest;
}
