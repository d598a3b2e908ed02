import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A network given by an admin that is not one. The message says what is wrong with it. */
export class InvalidCidrError extends Error {
  constructor(readonly cidr: string, why: string) {
    super(`"${cidr.slice(0, 64)}" ${why}`);
    this.name = 'InvalidCidrError';
  }
}

/**
 * An admin's CIDR in the form the agency decider records: `a.b.c.d/n`, or a lower-case,
 * compressed IPv6 address with `/n` (the URL host serialiser gives IPv6 its canonical text).
 */
export function normaliseCidr(cidr: string): string {
  const slash = cidr.indexOf('/');
  if (slash < 0) throw new InvalidCidrError(cidr, 'has no prefix length (write 192.0.2.0/24, or /32 for one address)');
  const address = cidr.slice(0, slash).trim();
  const prefixText = cidr.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) throw new InvalidCidrError(cidr, 'has no valid prefix length');
  const prefix = Number(prefixText);
  if (isIPv4(address)) {
    if (prefix > 32) throw new InvalidCidrError(cidr, 'has an IPv4 prefix length over 32');
    return `${address.split('.').map(Number).join('.')}/${prefix}`;
  }
  if (isIPv6(address) && !address.includes('%')) {
    if (prefix > 128) throw new InvalidCidrError(cidr, 'has an IPv6 prefix length over 128');
    return `${new URL(`http://[${address}]/`).hostname.slice(1, -1)}/${prefix}`;
  }
  throw new InvalidCidrError(cidr, 'is not an IPv4 or IPv6 network');
}

/** The admin's list normalised, with repeats dropped (192.0.2.0/24 and 192.0.2.000/24 are one network). */
export function normaliseCidrs(cidrs: readonly string[]): string[] {
  return [...new Set(cidrs.map(normaliseCidr))];
}

/** Whether a client address may call, by the recorded list; an empty list allows every address. */
export type AddressCheck = (address: string | undefined) => boolean;

export function addressCheckFor(cidrs: readonly string[]): AddressCheck {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', prefix = ''] = cidr.split('/');
    list.addSubnet(network, Number(prefix), isIPv4(network) ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    if (address === undefined) return false;
    // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d; the admin wrote a.b.c.d/n.
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
    const plain = mapped?.[1] ?? address;
    if (isIPv4(plain)) return list.check(plain, 'ipv4');
    if (isIPv6(plain)) return list.check(plain, 'ipv6');
    return false;
  };
}
