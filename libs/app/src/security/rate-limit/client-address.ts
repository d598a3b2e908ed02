import { isIPv4, isIPv6 } from 'node:net';

/**
 * The rate-limit key of a client address: an IPv4 address as it is (also when a dual-stack socket
 * reports it as ::ffff:a.b.c.d), an IPv6 address by its /64, because one subscriber usually holds
 * a whole /64 and could otherwise take a fresh address for every request.
 */
export function addressKeyOf(address: string | undefined): string {
  if (address === undefined || address === '') return 'address:unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const plain = mapped?.[1] ?? address;
  if (isIPv4(plain)) return `address:${plain}`;
  if (isIPv6(plain)) return `address:${ipv6Prefix64(plain)}::/64`;
  return `address:${plain.slice(0, 64)}`;
}

function ipv6Prefix64(address: string): string {
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::a.b.c.d) takes two groups; only the first four groups matter here.
  const tailCount = tailGroups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailCount)).fill('0'), ...tailGroups];
  return groups
    .slice(0, 4)
    .map((g) => (g.includes('.') ? '0' : Number.parseInt(g, 16).toString(16)))
    .join(':');
}
