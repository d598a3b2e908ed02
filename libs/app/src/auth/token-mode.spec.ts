import { ConfigError, type OidcConfig } from '../config/app-config';
import { ROLES } from './principal';
import { OPERATOR_ROLES, tokenModeOf } from './token-mode';

const oidc: OidcConfig = { jwksUrl: 'https://idp.example/jwks', issuer: 'https://idp.example', audience: 'asiointitili', claims: { hetu: 'hetu', acr: 'acr', amr: 'amr' } };

describe('token mode', () => {
  it('lets the development key sign every role outside production, saying it is not for production', () => {
    const mode = tokenModeOf({ allowDevTokens: false, production: false });
    expect(mode.devRoles).toEqual(ROLES);
    expect(mode.oidc).toBeUndefined();
    expect(mode.notice).toMatchObject({ level: 'log', text: expect.stringMatching(/not for production/) });
  });

  it('refuses to start in production on the development key alone, naming the variables that fix it', () => {
    const start = () => tokenModeOf({ allowDevTokens: false, production: true });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/^AUTH_JWKS_URL: NODE_ENV=production .*AUTH_ISSUER and AUTH_AUDIENCE.*ALLOW_DEV_TOKENS=true/);
  });

  it('starts in production on the development key when ALLOW_DEV_TOKENS=true, with a warning', () => {
    const mode = tokenModeOf({ allowDevTokens: true, production: true });
    expect(mode.devRoles).toEqual(ROLES);
    expect(mode.notice).toMatchObject({ level: 'warn', text: expect.stringMatching(/^ALLOW_DEV_TOKENS=true: running in production/) });
  });

  it('with a provider, keeps the development key to admin and auditor tokens', () => {
    for (const production of [true, false]) {
      const mode = tokenModeOf({ oidc, allowDevTokens: false, production });
      expect(mode.oidc).toBe(oidc);
      expect(mode.devRoles).toEqual(OPERATOR_ROLES);
      expect(OPERATOR_ROLES).toEqual(['admin', 'auditor']);
      expect(mode.notice.level).toBe('log');
    }
  });

  it('with a provider and ALLOW_DEV_TOKENS=true, lets the development key sign every role, with a warning', () => {
    const mode = tokenModeOf({ oidc, allowDevTokens: true, production: true });
    expect(mode.devRoles).toEqual(ROLES);
    expect(mode.notice).toMatchObject({ level: 'warn', text: expect.stringMatching(/^ALLOW_DEV_TOKENS=true: citizen and agency tokens.*never in production/) });
  });
});
