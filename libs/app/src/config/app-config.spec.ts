import { ConfigError, loadConfig } from './app-config';

describe('configuration from the environment', () => {
  it('defaults to port 3000, ./data and the consent model with no server URLs', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.eventStoreUrl).toBeUndefined();
    expect(config.mongodbUrl).toBeUndefined();
    expect(config.consentPolicy).toBe('consent');
    expect(config.jsonLimitBytes).toBe(1024 * 1024);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['DATA_DIR', '   '],
    ['EVENTSTORE_URL', 'not a url'],
    ['EVENTSTORE_URL', 'http://localhost:2113'],
    ['MONGODB_URL', 'postgres://localhost/x'],
    ['CONSENT_POLICY', 'opt-in'],
  ])('stops at start when %s is "%s", naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('accepts the production URLs of API.md', () => {
    const config = loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', MONGODB_URL: 'mongodb://localhost:27017/asiointitili' });
    expect(config.eventStoreUrl).toBe('esdb://localhost:2113?tls=false');
    expect(config.mongodbUrl).toBe('mongodb://localhost:27017/asiointitili');
  });
});
