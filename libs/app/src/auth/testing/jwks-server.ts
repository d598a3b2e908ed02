import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';

export type ProviderAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

interface ProviderKey {
  readonly alg: ProviderAlgorithm;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly jwk: JWK;
}

/**
 * A stand-in OpenID Connect provider for tests: serves its JWKS over plain HTTP on 127.0.0.1 (a
 * free port), counts fetches, rotates keys, and signs tokens as the provider would. Only the
 * public halves are ever served.
 */
export class JwksServer {
  readonly keys = new Map<string, ProviderKey>();
  /** How many times the key set was fetched. */
  fetches = 0;
  /** Set: the key set answers this status instead (a provider outage). */
  failWith: number | null = null;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<JwksServer> {
    let self: JwksServer | undefined;
    const server = createServer((request, response) => {
      if (!self) return response.writeHead(503).end();
      self.fetches += 1;
      if (self.failWith !== null) return response.writeHead(self.failWith).end();
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [...self.keys.values()].map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new JwksServer(server, `http://127.0.0.1:${port}/jwks`);
    return self;
  }

  /** Publishes a new key; answers its kid. */
  async addKey(alg: ProviderAlgorithm, kid = `${alg.toLowerCase()}-${this.keys.size + 1}`): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    this.keys.set(kid, { alg, privateKey, publicKey, jwk });
    return kid;
  }

  removeKey(kid: string): void {
    this.keys.delete(kid);
  }

  key(kid: string): ProviderKey {
    const key = this.keys.get(kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  }

  /** A token signed with the named key, as the provider signs ID tokens (the claims are taken as given). */
  sign(kid: string, claims: JWTPayload): Promise<string> {
    const { alg, privateKey } = this.key(kid);
    return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
