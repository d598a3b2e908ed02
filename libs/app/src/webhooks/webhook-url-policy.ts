import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Long enough for any real endpoint with a path and a query; short enough to keep in every feed item's log line. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

export interface WebhookUrlPolicy {
  /** NODE_ENV=production: https only, and never an address inside a private, loopback or link-local network. */
  readonly production: boolean;
}

export type WebhookUrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly code: string; readonly detail: string };

/**
 * Networks a production webhook may not reach: a webhook is an agency telling the service to make
 * requests, so without this an agency's integration could probe the service's own network (SSRF).
 * Checked when the webhook is created and again on every delivery (see `guardedLookup`), because
 * a name can resolve to another address later (DNS rebinding).
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for an address a production webhook may be delivered to. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]!);
  }
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The rules a webhook URL must meet before anything is recorded: an absolute https URL without
 * credentials or a fragment; plain http only to a loopback address outside production (a receiver
 * beside the service while integrating). In production the host must resolve to public addresses only.
 */
export async function checkWebhookUrl(text: string, policy: WebhookUrlPolicy, resolve: typeof lookup = lookup): Promise<WebhookUrlCheck> {
  if (text.length > WEBHOOK_URL_MAX_LENGTH) return refuse('webhook-url-too-long', `the URL may have at most ${WEBHOOK_URL_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('invalid-webhook-url', 'the URL is not an absolute URL such as https://hooks.example.fi/asiointitili');
  }
  if (url.username !== '' || url.password !== '') return refuse('invalid-webhook-url', 'the URL may not carry a user name or password; the signature authenticates each delivery');
  if (url.hash !== '') return refuse('invalid-webhook-url', 'the URL may not have a fragment (#…)');
  const host = hostOf(url);
  if (url.protocol === 'http:') {
    const loopback = host === 'localhost' || isLoopbackAddress(host);
    if (policy.production || !loopback) return refuse('webhook-url-not-https', 'the URL must use https:// (plain http only to a loopback address outside production)');
    return { ok: true, url: url.toString() };
  }
  if (url.protocol !== 'https:') return refuse('webhook-url-not-https', 'the URL must use https://');
  if (!policy.production) return { ok: true, url: url.toString() };
  const addresses = isIP(host) !== 0 ? [host] : await resolvedAddresses(host, resolve);
  if (addresses === null) return refuse('webhook-host-unresolvable', `the host ${host} does not resolve`);
  if (addresses.some((a) => !isPublicAddress(a))) return refuse('webhook-url-private', 'the URL points into a private, loopback or link-local network');
  return { ok: true, url: url.toString() };
}

async function resolvedAddresses(host: string, resolve: typeof lookup): Promise<string[] | null> {
  try {
    const found = await resolve(host, { all: true, verbatim: true });
    return found.length === 0 ? null : found.map((a) => a.address);
  } catch {
    return null;
  }
}

function refuse(code: string, detail: string): WebhookUrlCheck {
  return { ok: false, code, detail };
}
