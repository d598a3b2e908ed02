import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import { parseHetu } from '@asiointitili/domain/identity/hetu';
import { AMRS } from '../auth/principal';
import type { CitizenRefs } from '../identity/citizen-ref';
import { expiredPage, pageLanguageOf, signInPage } from './dev-sign-in-page';
import { webPageHeaders } from './page-headers';

export const DEV_PROVIDER_PATH = '/oidc';
export const DEV_CLIENT_ID = 'asiointitili-web';
/** Accounts the development provider remembers (its ID tokens live an hour; a sign-in after eviction just asks again). */
const DIRECTORY_LIMIT = 10_000;

/** eIDAS levels as the provider states them in `acr`; the API maps them (auth/oidc-token-verifier.ts, ACR_VALUES). */
const ACR_OF = { substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' } as const;

export interface DevIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Mount at the application's root: serves DEV_PROVIDER_PATH and below. */
  readonly router: Router;
}

/** The little of oidc-provider's surface used here (the package ships no types). */
interface OidcProviderInstance {
  proxy: boolean;
  callback(): (req: Request, res: Response) => void;
  interactionDetails(req: Request, res: Response): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionFinished(req: Request, res: Response, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: new (init: { clientId: string; accountId: string }) => { addOIDCScope(scope: string): void; addOIDCClaims(claims: string[]): void; save(): Promise<string> };
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProviderInstance;

/**
 * On the embedded default the service is its own development identity provider, built on the
 * certified `oidc-provider` library: authorization code with PKCE (required), ID tokens signed
 * with a key made at start, and a sign-in page that asks for a henkilötunnus, the method (bank,
 * mobile certificate, ID card) and the level of assurance, like the test identity providers of
 * Finnish e-services. Its only client is the web inbox of this process, with a secret made at
 * start. The library is loaded at the first request to DEV_PROVIDER_PATH.
 */
export function devIdentityProvider(options: { readonly publicUrl: string; readonly trustProxy: boolean; readonly citizenRefs: CitizenRefs }): DevIdentityProvider {
  const issuer = `${options.publicUrl}${DEV_PROVIDER_PATH}`;
  const clientSecret = randomBytes(32).toString('base64url');
  // The henkilötunnus of each signed-in account, by citizenRef (the `sub`): the provider's "user directory".
  const hetuOf = new Map<string, string>();
  let provider: Promise<OidcProviderInstance> | undefined;
  const load = (): Promise<OidcProviderInstance> =>
    (provider ??= (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Provider = (require('oidc-provider') as { default: OidcProviderClass }).default;
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'ES256' };
      const instance = new Provider(issuer, {
        clients: [
          {
            client_id: DEV_CLIENT_ID,
            client_secret: clientSecret,
            redirect_uris: [`${options.publicUrl}/auth/callback`],
            post_logout_redirect_uris: [`${options.publicUrl}/`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
            id_token_signed_response_alg: 'ES256',
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        pkce: { required: () => true },
        claims: { acr: null, amr: null, auth_time: null, iss: null, sid: null, openid: ['sub', 'hetu', 'acr', 'amr'] },
        conformIdTokenClaims: false,
        acrValues: Object.values(ACR_OF),
        features: { devInteractions: { enabled: false } },
        ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Interaction: 600, Session: 600, Grant: 600 },
        findAccount: (_ctx: unknown, sub: string) => {
          const hetu = hetuOf.get(sub);
          return hetu === undefined ? undefined : { accountId: sub, claims: () => ({ sub, hetu }) };
        },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${DEV_PROVIDER_PATH}/interaction/${interaction.uid}` },
        // The inbox is this service's own first-party client: no consent screen.
        loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined }; provider: OidcProviderInstance & { Grant: { find(id: string): Promise<unknown> } } } }) => {
          const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
          if (existing) return ctx.oidc.provider.Grant.find(existing);
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
          grant.addOIDCScope('openid');
          grant.addOIDCClaims(['hetu']);
          await grant.save();
          return grant;
        },
      });
      instance.proxy = options.trustProxy;
      return instance;
    })());

  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const interaction = `${DEV_PROVIDER_PATH}/interaction/:uid`;

  router.get(interaction, webPageHeaders, async (req, res, next) => {
    try {
      const oidc = await load();
      const details = await oidc.interactionDetails(req, res);
      res.type('html').send(signInPage({ action: `${DEV_PROVIDER_PATH}/interaction/${details.uid}/login`, abort: `${DEV_PROVIDER_PATH}/interaction/${details.uid}/abort`, language: pageLanguageOf(details.params.ui_locales) }));
    } catch (error) {
      interactionFailed(error, req, res, next);
    }
  });

  router.post(`${interaction}/login`, webPageHeaders, form, async (req, res, next) => {
    try {
      const oidc = await load();
      const details = await oidc.interactionDetails(req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      const method = AMRS.find((amr) => amr === text('method')) ?? 'bank';
      const level = text('level') === 'substantial' ? 'substantial' : 'high';
      const language = pageLanguageOf(details.params.ui_locales);
      const given = text('hetu')?.trim() ?? '';
      const parsed = given === '' ? undefined : parseHetu(given);
      if (!parsed?.ok) {
        const action = `${DEV_PROVIDER_PATH}/interaction/${details.uid}/login`;
        res.status(400).type('html').send(signInPage({ action, abort: `${DEV_PROVIDER_PATH}/interaction/${details.uid}/abort`, language, hetu: given, method, level, error: parsed ? 'invalid' : 'missing' }));
        return;
      }
      const hetu = parsed.hetu.normalised;
      const accountId = options.citizenRefs.refOf(hetu);
      hetuOf.delete(accountId);
      hetuOf.set(accountId, hetu);
      if (hetuOf.size > DIRECTORY_LIMIT) hetuOf.delete(hetuOf.keys().next().value as string);
      await oidc.interactionFinished(req, res, { login: { accountId, acr: ACR_OF[level], amr: [method], remember: false } }, { mergeWithLastSubmission: false });
    } catch (error) {
      interactionFailed(error, req, res, next);
    }
  });

  router.get(`${interaction}/abort`, async (req, res, next) => {
    try {
      const oidc = await load();
      await oidc.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person cancelled the sign-in' }, { mergeWithLastSubmission: false });
    } catch (error) {
      interactionFailed(error, req, res, next);
    }
  });

  /** An interaction that expired or never existed: the page says to start again, in the browser's language. */
  const interactionFailed = (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const name = error instanceof Error ? error.name : '';
    if (name !== 'SessionNotFound' && name !== 'InvalidRequest') return next(error);
    const asked = typeof req.query.ui_locales === 'string' ? req.query.ui_locales : req.acceptsLanguages('fi', 'sv', 'en') || undefined;
    res.status(400).type('html').send(expiredPage(pageLanguageOf(asked)));
  };

  router.use(DEV_PROVIDER_PATH, (req: Request, res: Response, next: NextFunction) => {
    load().then((oidc) => oidc.callback()(req, res), next);
  });

  return { issuer, clientId: DEV_CLIENT_ID, clientSecret, router };
}
