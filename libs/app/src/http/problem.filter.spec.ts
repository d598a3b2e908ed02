import { ProblemFilter, isDecodingError } from './problem.filter';

const decodeFailure = (code: string) => Object.assign(new Error('decoding failed'), { code });

describe('ProblemFilter: bodies that do not decode under their Content-Encoding', () => {
  const filter = new ProblemFilter();

  it('answers 400 undecodable-body for the errors of gzip, deflate, brotli and zstd (Node 22 decodes zstd), never a 500', () => {
    for (const code of ['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR__ERROR_FORMAT_PADDING_1', 'ERR_BROTLI_DECOMPRESSION_FAILED', 'ZSTD_error_prefix_unknown', 'ZSTD_error_srcSize_wrong']) {
      const { body } = filter.toProblem(decodeFailure(code));
      expect({ code, status: body.status, type: body.type }).toEqual({ code, status: 400, type: 'urn:asiointitili:problem:undecodable-body' });
    }
  });

  it('does not take other coded errors for decoding errors', () => {
    expect(isDecodingError('ECONNRESET')).toBe(false);
    expect(isDecodingError(undefined)).toBe(false);
    expect(filter.toProblem(decodeFailure('ECONNRESET')).body.status).toBe(500);
  });
});
