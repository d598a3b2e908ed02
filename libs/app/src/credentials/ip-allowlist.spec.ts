import { cidrProblem } from '@asiointitili/domain';
import { addressCheckFor, InvalidCidrError, normaliseCidr, normaliseCidrs } from './ip-allowlist';

describe('IP allowlists', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.0/24'],
    [' 10.1.2.3 / 32 ', '10.1.2.3/32'],
    ['2001:DB8:0:0::/32', '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001/128', '2001:db8::1/128'],
    ['::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
    ['::/0', '::/0'],
  ])('normalise %s to %s, a form the agency decider accepts', (given, normal) => {
    expect(normaliseCidr(given)).toBe(normal);
    expect(cidrProblem(normal)).toBeUndefined();
  });

  it.each(['192.0.2.0', '192.0.2.0/33', '2001:db8::/129', '192.0.2.0/x', 'example.fi/24', 'fe80::1%eth0/64', '300.0.0.0/8', '', '/24'])('refuse "%s"', (cidr) => {
    expect(() => normaliseCidr(cidr)).toThrow(InvalidCidrError);
  });

  it('drop a network written twice in two ways', () => {
    expect(normaliseCidrs(['2001:db8::/32', '2001:DB8:0::/32', '192.0.2.0/24'])).toEqual(['2001:db8::/32', '192.0.2.0/24']);
  });

  it('allow every address when empty', () => {
    const allows = addressCheckFor([]);
    expect(allows('203.0.113.9')).toBe(true);
    expect(allows(undefined)).toBe(true);
  });

  it('allow only addresses inside a listed network, IPv4 and IPv6', () => {
    const allows = addressCheckFor(['192.0.2.0/24', '2001:db8:1234::/48']);
    expect(allows('192.0.2.77')).toBe(true);
    expect(allows('192.0.3.1')).toBe(false);
    expect(allows('2001:db8:1234:ffff::1')).toBe(true);
    expect(allows('2001:db8:1235::1')).toBe(false);
    expect(allows(undefined)).toBe(false);
    expect(allows('not an address')).toBe(false);
  });

  it('match an IPv4 client that a dual-stack socket reports as ::ffff:a.b.c.d', () => {
    const allows = addressCheckFor(['127.0.0.0/8']);
    expect(allows('::ffff:127.0.0.1')).toBe(true);
    expect(allows('::ffff:10.0.0.1')).toBe(false);
  });
});
