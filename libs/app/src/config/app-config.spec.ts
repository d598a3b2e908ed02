import { ConfigError, DEFAULT_NOTIFY_FROM, loadConfig } from './app-config';

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

  it('takes EVENTSTORE_STREAM_NAMESPACE for EventStoreDB, and refuses a bad one or one without EventStoreDB, naming the variable', () => {
    expect(loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113', EVENTSTORE_STREAM_NAMESPACE: 'asiointitili' }).eventStoreNamespace).toBe('asiointitili');
    expect(loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113' }).eventStoreNamespace).toBeUndefined();
    for (const env of [
      { EVENTSTORE_URL: 'esdb://localhost:2113', EVENTSTORE_STREAM_NAMESPACE: '$all' },
      { EVENTSTORE_URL: 'esdb://localhost:2113', EVENTSTORE_STREAM_NAMESPACE: 'a.b' },
      { EVENTSTORE_URL: 'postgresql://localhost/events', EVENTSTORE_STREAM_NAMESPACE: 'asiointitili' },
      { EVENTSTORE_STREAM_NAMESPACE: 'asiointitili' },
    ]) {
      expect(() => loadConfig(env)).toThrow(/^EVENTSTORE_STREAM_NAMESPACE:/);
    }
  });

  it('accepts a PostgreSQL event store URL', () => {
    for (const url of ['postgresql://asiointitili:secret@db.example:5432/events', 'postgres://localhost/events']) {
      expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
    }
  });

  it('sends notifications to the outbox unless SMTP_URL is set, from a sender that is not a real domain by default', () => {
    const config = loadConfig({});
    expect(config.smtpUrl).toBeUndefined();
    expect(config.notifyFrom).toBe(DEFAULT_NOTIFY_FROM);
    expect(config.notifyFrom).toMatch(/\.invalid>$/);
  });

  it('accepts an smtp:// or smtps:// SMTP_URL and a NOTIFY_FROM address with or without a display name', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525');
    expect(loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.fi:465' }).smtpUrl).toBe('smtps://user:secret@mail.example.fi:465');
    expect(loadConfig({ NOTIFY_FROM: 'noreply@kela.fi' }).notifyFrom).toBe('noreply@kela.fi');
    expect(loadConfig({ NOTIFY_FROM: 'Asiointitili <noreply@kela.fi>' }).notifyFrom).toBe('Asiointitili <noreply@kela.fi>');
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.fi'],
    ['SMTP_URL', 'not a url'],
    ['SMTP_URL', '  '],
    ['NOTIFY_FROM', 'noreply'],
    ['NOTIFY_FROM', 'a@b'],
    ['NOTIFY_FROM', 'Name <noreply@kela.fi'],
    ['NOTIFY_FROM', 'x@kela.fi\r\nBcc: everyone@example.fi'],
  ])('stops at start when the notification setting %s is "%s"', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });
});
