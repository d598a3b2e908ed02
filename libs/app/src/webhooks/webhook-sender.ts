import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { isPublicAddress } from './webhook-url-policy';

export interface WebhookDelivery {
  readonly url: string;
  readonly secret: string;
  /** `webhook-id`: the same for every attempt of one feed item, so a receiver can drop repeats. */
  readonly messageId: string;
  readonly at: Date;
  readonly body: string;
}

export type WebhookOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly reason: string };

export interface WebhookSenderOptions {
  /** The whole attempt, from connecting to the last response header. */
  readonly timeoutMs: number;
  /** Production: connect only to public addresses, whatever the name resolves to at this moment. */
  readonly production: boolean;
}

export type WebhookSender = (delivery: WebhookDelivery) => Promise<WebhookOutcome>;

/**
 * One signed POST (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`).
 * A 2xx is success; anything else, a redirect included (it is not followed: it would lead the
 * signed body to a URL the agency did not register), a timeout or a network error is a failure
 * the dispatcher retries. The answer's body is not read beyond discarding it.
 */
export function httpWebhookSender(options: WebhookSenderOptions): WebhookSender {
  return (delivery) =>
    new Promise<WebhookOutcome>((resolve) => {
      const url = new URL(delivery.url);
      const signature = new Webhook(delivery.secret).sign(delivery.messageId, delivery.at, delivery.body);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let settled = false;
      const settle = (outcome: WebhookOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(delivery.body),
            'user-agent': 'Asiointitili-Webhooks/1',
            'webhook-id': delivery.messageId,
            'webhook-timestamp': String(Math.floor(delivery.at.getTime() / 1000)),
            'webhook-signature': signature,
          },
          lookup: options.production ? publicOnlyLookup : undefined,
        },
        (res: IncomingMessage) => {
          res.resume(); // discard the answer's body; only the status counts
          const status = res.statusCode ?? 0;
          settle(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, reason: `answered ${status}` });
        },
      );
      const timer = setTimeout(() => {
        settle({ ok: false, reason: `no answer within ${options.timeoutMs} ms` });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, reason: error.code ?? error.message }));
      req.end(delivery.body);
    });
}

/** Resolves as usual, then refuses the connection if any address found is not public (DNS rebinding). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOneOptions), all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const found = addresses as unknown as LookupAddress[];
    const refused = found.find((a) => !isPublicAddress(a.address));
    if (refused || found.length === 0) {
      const blocked = Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'EADDRNOTPUBLIC' });
      return callback(blocked, '', 4);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
    return callback(null, found[0]!.address, found[0]!.family);
  });
};
