import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { OIDC_ALGORITHMS } from '../auth/oidc-token-verifier';
import { randomToken } from './web-sessions';

/** The parts of a provider's discovery document the sign-in uses. */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly end_session_endpoint?: string;
}

export interface RelyingPartyOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /**
   * The embedded provider answers at the public address, which a server behind a proxy may not
   * reach itself: its token and key endpoints are then called on this origin instead.
   */
  readonly backChannelOrigin?: string;
  readonly timeoutMs?: number;
}

/** A started sign-in: where to send the browser, and the secrets the callback needs again. */
export interface Authorization {
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export class SignInError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SignInError';
  }
}

/**
 * The service as an OpenID Connect client (authorization code flow with PKCE S256, confidential
 * client authenticating with client_secret_basic). The ID token is verified here: signature
 * against the provider's published keys, issuer, audience, expiry and the nonce of this sign-in.
 */
export class OidcRelyingParty {
  private metadataPromise?: Promise<ProviderMetadata>;
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: RelyingPartyOptions) {}

  async authorize(params: { readonly uiLocales: string }): Promise<Authorization> {
    const metadata = await this.metadata();
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken();
    const url = new URL(this.frontChannel(metadata.authorization_endpoint));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      scope: 'openid',
      state,
      nonce,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      // Every sign-in identifies again: a shared computer signed out here is signed out at the provider too.
      prompt: 'login',
      ui_locales: params.uiLocales,
    }).toString();
    return { url: url.toString(), state, nonce, codeVerifier };
  }

  /** Exchanges the code and verifies the ID token; answers its raw form and its claims. */
  async exchange(code: string, codeVerifier: string, nonce: string): Promise<{ readonly idToken: string; readonly claims: JWTPayload }> {
    const metadata = await this.metadata();
    const basic = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString('base64');
    let answer: Response;
    try {
      answer = await fetch(this.backChannel(metadata.token_endpoint), {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUri, code_verifier: codeVerifier }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new SignInError('the identity provider\'s token endpoint cannot be reached', error);
    }
    const body = (await answer.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
    if (!answer.ok || typeof body.id_token !== 'string') {
      throw new SignInError(`the identity provider refused the code (${answer.status}${typeof body.error === 'string' ? ` ${body.error}` : ''})`);
    }
    this.keys ??= createRemoteJWKSet(new URL(this.backChannel(metadata.jwks_uri)));
    try {
      const { payload } = await jwtVerify(body.id_token, this.keys, {
        algorithms: [...OIDC_ALGORITHMS],
        issuer: metadata.issuer,
        audience: this.options.clientId,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: 30,
      });
      if (payload.nonce !== nonce) throw new SignInError('the ID token does not carry the nonce of this sign-in');
      return { idToken: body.id_token, claims: payload };
    } catch (error) {
      if (error instanceof SignInError) throw error;
      throw new SignInError(`the ID token is not valid: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  async endSessionEndpoint(): Promise<string | undefined> {
    const endpoint = (await this.metadata()).end_session_endpoint;
    return endpoint === undefined ? undefined : this.frontChannel(endpoint);
  }

  /** The discovery document, fetched once; a failed fetch is retried at the next sign-in. */
  metadata(): Promise<ProviderMetadata> {
    this.metadataPromise ??= this.discover().catch((error: unknown) => {
      this.metadataPromise = undefined;
      throw error;
    });
    return this.metadataPromise;
  }

  private async discover(): Promise<ProviderMetadata> {
    const where = this.backChannel(`${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    let answer: Response;
    try {
      answer = await fetch(where, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (error) {
      throw new SignInError('the identity provider cannot be reached', error);
    }
    if (!answer.ok) throw new SignInError(`the identity provider's discovery document answered ${answer.status}`);
    const metadata = (await answer.json()) as Partial<ProviderMetadata>;
    for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof metadata[field] !== 'string') throw new SignInError(`the identity provider's discovery document has no ${field}`);
    }
    if (metadata.issuer!.replace(/\/$/, '') !== this.options.issuer.replace(/\/$/, '')) {
      throw new SignInError(`the discovery document names issuer ${metadata.issuer}, not ${this.options.issuer}`);
    }
    return metadata as ProviderMetadata;
  }

  /** Endpoints the browser visits: on the provider's public origin, even when the document was fetched over the back channel. */
  private frontChannel(address: string): string {
    return this.options.backChannelOrigin ? this.rebase(address, new URL(this.options.issuer).origin) : address;
  }

  private backChannel(address: string): string {
    return this.options.backChannelOrigin ? this.rebase(address, this.options.backChannelOrigin) : address;
  }

  private rebase(address: string, origin: string): string {
    const url = new URL(address);
    const base = new URL(origin);
    url.protocol = base.protocol;
    url.host = base.host;
    return url.toString();
  }
}
