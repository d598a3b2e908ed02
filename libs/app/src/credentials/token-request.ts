import { problem, ProblemException } from '../http/problem';
import { MAX_CLIENT_SECRET_LENGTH } from './client-secret';

export const MAX_CLIENT_ID_LENGTH = 200;

/** OAuth 2.0 error codes (RFC 6749 §5.2) this endpoint answers with. */
export type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * An OAuth-style refusal as problem+json: `error` and `error_description` beside the problem's
 * own members, so an OAuth client library and a problem-aware client both understand it.
 * `invalid_client` is 401 with a Basic challenge (RFC 6749 §5.2), the rest 400.
 */
export function oauthProblem(error: OAuthError, description: string): ProblemException {
  const status = error === 'invalid_client' ? 401 : 400;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="asiointitili"';
  return new ProblemException(problem(status, error.replaceAll('_', '-'), description, { error, error_description: description }), headers);
}

/**
 * The client credentials of a token request (RFC 6749 §4.4), from the body (client_secret_post)
 * or an `Authorization: Basic` header (client_secret_basic), never both. Unknown parameters are
 * ignored, as §3.2 requires; a parameter given twice is refused.
 */
export function clientCredentialsOf(body: unknown, authorization: string | readonly string[] | undefined): ClientCredentials {
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw oauthProblem('invalid_request', 'send the parameters as a form (application/x-www-form-urlencoded) or a JSON object');
  }
  const params = (body ?? {}) as Record<string, unknown>;
  const param = (name: string): string | undefined => {
    if (!Object.hasOwn(params, name)) return undefined;
    const value = params[name];
    if (typeof value !== 'string') throw oauthProblem('invalid_request', `${name} must be given once, as a string`);
    return value;
  };
  const grantType = param('grant_type');
  if (grantType === undefined) throw oauthProblem('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') throw oauthProblem('unsupported_grant_type', 'only grant_type=client_credentials is supported');
  param('scope'); // allowed, and checked to be a single string, but this service has no scopes

  const fromBody = { clientId: param('client_id'), clientSecret: param('client_secret') };
  const fromHeader = basicCredentialsOf(authorization);
  if (fromHeader && fromBody.clientSecret !== undefined) throw oauthProblem('invalid_request', 'authenticate the client one way only: the Basic header or client_secret');
  if (fromHeader && fromBody.clientId !== undefined && fromBody.clientId !== fromHeader.clientId) {
    throw oauthProblem('invalid_request', 'client_id differs from the one in the Basic header');
  }
  const credentials = fromHeader ?? fromBody;
  if (credentials.clientId === undefined || credentials.clientSecret === undefined) {
    throw oauthProblem('invalid_client', 'client authentication is required: client_id and client_secret');
  }
  if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH || credentials.clientSecret.length > MAX_CLIENT_SECRET_LENGTH) {
    throw oauthProblem('invalid_client', 'client authentication failed');
  }
  return { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
}

/** RFC 6749 §2.3.1: base64 of form-urlencoded id and secret joined by a colon. Other schemes are not client authentication. */
function basicCredentialsOf(authorization: string | readonly string[] | undefined): ClientCredentials | undefined {
  if (authorization === undefined) return undefined;
  if (typeof authorization !== 'string') throw oauthProblem('invalid_request', 'send one Authorization header');
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw oauthProblem('invalid_client', 'the Basic header must carry client_id:client_secret');
  try {
    const formDecode = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw oauthProblem('invalid_client', 'the Basic header is not form-urlencoded');
  }
}
