import { addressKeyOf } from './client-address';

describe('rate-limit keys of client addresses', () => {
  it('keys an IPv4 address as itself, also when reported IPv4-mapped', () => {
    expect(addressKeyOf('192.0.2.7')).toBe('address:192.0.2.7');
    expect(addressKeyOf('::ffff:192.0.2.7')).toBe('address:192.0.2.7');
  });

  it('keys IPv6 addresses by their /64, so one subscriber cannot rotate through its prefix', () => {
    expect(addressKeyOf('2001:db8:1:2:aaaa::1')).toBe('address:2001:db8:1:2::/64');
    expect(addressKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('address:2001:db8:1:2::/64');
    expect(addressKeyOf('2001:db8::1')).toBe('address:2001:db8:0:0::/64');
    expect(addressKeyOf('::1')).toBe('address:0:0:0:0::/64');
    expect(addressKeyOf('2001:db8:1:3::1')).not.toBe(addressKeyOf('2001:db8:1:2::1'));
  });

  it('keys a missing address as one shared unknown', () => {
    expect(addressKeyOf(undefined)).toBe('address:unknown');
    expect(addressKeyOf('')).toBe('address:unknown');
  });
});
