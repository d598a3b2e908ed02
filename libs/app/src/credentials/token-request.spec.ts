import { ProblemException } from '../http/problem';
import { clientCredentialsOf } from './token-request';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function refusal(body: unknown, authorization?: string | string[]) {
  try {
    clientCredentialsOf(body, authorization);
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return { status: error.problem.status, error: error.problem.error, headers: error.headers };
  }
  throw new Error('accepted');
}

describe('token requests', () => {
  const valid = { grant_type: 'client_credentials', client_id: 'kela.AAAAAAAAAAAAAAAAAAAAAA', client_secret: 's3cret' };

  it('read the client credentials from the body (client_secret_post)', () => {
    expect(clientCredentialsOf(valid, undefined)).toEqual({ clientId: valid.client_id, clientSecret: 's3cret' });
  });

  it('read them from an Authorization: Basic header, form-decoded (client_secret_basic)', () => {
    expect(clientCredentialsOf({ grant_type: 'client_credentials' }, basic('kela.AAAA', 'a:b+c d'))).toEqual({ clientId: 'kela.AAAA', clientSecret: 'a:b+c d' });
  });

  it('ignore unknown parameters and a scope, as RFC 6749 §3.2 requires', () => {
    expect(clientCredentialsOf({ ...valid, scope: 'anything', audience: 'x' }, undefined)).toEqual({ clientId: valid.client_id, clientSecret: 's3cret' });
  });

  it('ignore a bearer Authorization header', () => {
    expect(clientCredentialsOf(valid, 'Bearer abc')).toEqual({ clientId: valid.client_id, clientSecret: 's3cret' });
  });

  it('answer 400 invalid_request without grant_type, or with a body that is not an object', () => {
    expect(refusal({ client_id: 'x', client_secret: 'y' })).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal(['grant_type'])).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal('grant_type=client_credentials')).toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it('answer 400 unsupported_grant_type for another grant', () => {
    expect(refusal({ ...valid, grant_type: 'password' })).toMatchObject({ status: 400, error: 'unsupported_grant_type' });
  });

  it('answer 400 invalid_request for a parameter given twice or not as a string', () => {
    expect(refusal({ ...valid, client_id: ['a', 'b'] })).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal({ ...valid, client_secret: { $ne: '' } })).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal({ ...valid, grant_type: ['client_credentials'] })).toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it('answer 400 invalid_request for two ways of client authentication at once', () => {
    expect(refusal(valid, basic(valid.client_id, 's3cret'))).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal({ grant_type: 'client_credentials', client_id: 'other' }, basic(valid.client_id, 's3cret'))).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(refusal(valid, ['Basic a', 'Basic b'])).toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it('answer 401 invalid_client with a Basic challenge and no-store when client authentication is missing or unusable', () => {
    for (const [body, header] of [
      [{ grant_type: 'client_credentials' }, undefined],
      [{ grant_type: 'client_credentials', client_id: 'x' }, undefined],
      [{ grant_type: 'client_credentials' }, `Basic ${Buffer.from('no-colon').toString('base64')}`],
      [{ grant_type: 'client_credentials' }, `Basic ${Buffer.from('%zz:x').toString('base64')}`],
      [{ ...valid, client_secret: 'x'.repeat(257) }, undefined],
    ] as const) {
      expect(refusal(body, header)).toEqual({ status: 401, error: 'invalid_client', headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Basic realm="asiointitili"' } });
    }
  });

  it('never read a parameter from the prototype chain', () => {
    const body = Object.create({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }) as object;
    expect(refusal(body)).toMatchObject({ status: 400, error: 'invalid_request' });
  });
});
