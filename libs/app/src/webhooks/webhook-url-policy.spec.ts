import type { lookup } from 'node:dns/promises';
import { checkWebhookUrl, isPublicAddress } from './webhook-url-policy';

/** A resolver that answers from a table, so the rules are tested without DNS. */
const resolver = (table: Record<string, string[]>): typeof lookup =>
  (async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as unknown as typeof lookup;

const production = { production: true };
const development = { production: false };

describe('webhook URL policy', () => {
  it('accepts an https URL and answers it normalised', async () => {
    await expect(checkWebhookUrl('https://Hooks.Kela.example/feed', development)).resolves.toEqual({ ok: true, url: 'https://hooks.kela.example/feed' });
  });

  it('refuses plain http to a public host in every environment', async () => {
    for (const policy of [production, development]) {
      await expect(checkWebhookUrl('http://hooks.kela.example/feed', policy)).resolves.toMatchObject({ ok: false, code: 'webhook-url-not-https' });
    }
  });

  it('allows plain http to a loopback address outside production only', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost:8080/hook', 'http://[::1]:8080/hook']) {
      await expect(checkWebhookUrl(url, development)).resolves.toMatchObject({ ok: true });
      await expect(checkWebhookUrl(url, production)).resolves.toMatchObject({ ok: false, code: 'webhook-url-not-https' });
    }
  });

  it('refuses other schemes, relative URLs, credentials in the URL and fragments', async () => {
    for (const [url, code] of [
      ['ftp://hooks.example/feed', 'webhook-url-not-https'],
      ['file:///etc/passwd', 'webhook-url-not-https'],
      ['/relative/path', 'invalid-webhook-url'],
      ['https://user:pass@hooks.example/feed', 'invalid-webhook-url'],
      ['https://hooks.example/feed#part', 'invalid-webhook-url'],
    ] as const) {
      await expect(checkWebhookUrl(url, development)).resolves.toMatchObject({ ok: false, code });
    }
  });

  it('refuses a URL longer than 2048 characters', async () => {
    await expect(checkWebhookUrl(`https://hooks.example/${'a'.repeat(2048)}`, development)).resolves.toMatchObject({ ok: false, code: 'webhook-url-too-long' });
  });

  it('refuses private, loopback and link-local addresses in production, written or resolved', async () => {
    const resolve = resolver({ 'internal.example': ['10.1.2.3'], 'mixed.example': ['93.184.216.34', '192.168.1.1'], 'metadata.example': ['169.254.169.254'], 'public.example': ['93.184.216.34'] });
    for (const url of ['https://10.0.0.1/hook', 'https://[fd00::1]/hook', 'https://internal.example/hook', 'https://mixed.example/hook', 'https://metadata.example/hook', 'https://127.0.0.1/hook']) {
      await expect(checkWebhookUrl(url, production, resolve)).resolves.toMatchObject({ ok: false, code: 'webhook-url-private' });
    }
    await expect(checkWebhookUrl('https://public.example/hook', production, resolve)).resolves.toMatchObject({ ok: true });
    await expect(checkWebhookUrl('https://nowhere.example/hook', production, resolve)).resolves.toMatchObject({ ok: false, code: 'webhook-host-unresolvable' });
  });

  it('judges IPv4-mapped IPv6 addresses by their IPv4 address', () => {
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:93.184.216.34')).toBe(true);
    expect(isPublicAddress('2001:db8::1')).toBe(true);
    expect(isPublicAddress('not an address')).toBe(false);
  });
});
