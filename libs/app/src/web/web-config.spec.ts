import { ConfigError } from '../config/app-config';
import { webConfig } from './web-config';

describe('webConfig', () => {
  it('defaults to http://localhost:<PORT>, the development provider, cookies without Secure', () => {
    expect(webConfig({ PORT: '3100' })).toEqual({ publicUrl: 'http://localhost:3100', sessionIdleSeconds: 1800, secureCookies: false });
  });

  it('an https public address makes the cookies Secure', () => {
    expect(webConfig({ PUBLIC_URL: 'https://asiointi.example.fi' })).toMatchObject({ publicUrl: 'https://asiointi.example.fi', secureCookies: true });
  });

  it('refuses plain http beyond localhost, and an address with a path', () => {
    expect(() => webConfig({ PUBLIC_URL: 'http://asiointi.example.fi' })).toThrow(ConfigError);
    expect(() => webConfig({ PUBLIC_URL: 'http://asiointi.example.fi' })).toThrow(/PUBLIC_URL/);
    expect(() => webConfig({ PUBLIC_URL: 'https://example.fi/inbox' })).toThrow(/PUBLIC_URL/);
  });

  it('takes an external provider from all three OIDC_* variables, and names the missing one otherwise', () => {
    expect(webConfig({ PUBLIC_URL: 'https://a.example.fi', OIDC_ISSUER: 'https://idp.example.fi/', OIDC_CLIENT_ID: 'inbox', OIDC_CLIENT_SECRET: 's3cret' }).oidc).toEqual({
      issuer: 'https://idp.example.fi',
      clientId: 'inbox',
      clientSecret: 's3cret',
    });
    expect(() => webConfig({ OIDC_ISSUER: 'https://idp.example.fi', OIDC_CLIENT_ID: 'inbox' })).toThrow(/^OIDC_CLIENT_SECRET: /);
    expect(() => webConfig({ OIDC_CLIENT_SECRET: 'x' })).toThrow(/^OIDC_ISSUER: /);
  });
});
