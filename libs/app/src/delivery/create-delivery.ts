import type { Notifier, PrintChannel } from '@asiointitili/core';
import type { AppConfig } from '../config/app-config';
import { ChannelRouter, type ClosableNotifier } from './channel-router';
import { FilePrintChannel } from './file-print-channel';
import { OutboxNotifier } from './outbox-notifier';
import { SmtpNotifier } from './smtp-notifier';

export interface Delivery {
  readonly notifier: Notifier;
  readonly printChannel: PrintChannel;
  close(): Promise<void>;
}

/**
 * The outbound adapters the configuration selects. Email goes over SMTP when SMTP_URL is set,
 * otherwise to the outbox file; SMS always goes to the outbox (no SMS gateway adapter exists);
 * letters always go to the print directory (the print service's own interface is not specified).
 */
export function createDelivery(config: Pick<AppConfig, 'dataDir' | 'smtpUrl' | 'notifyFrom'>): Delivery {
  const outbox = OutboxNotifier.inDataDir(config.dataDir);
  const notifier: ClosableNotifier = config.smtpUrl
    ? new ChannelRouter({ email: new SmtpNotifier({ url: config.smtpUrl, from: config.notifyFrom }), sms: outbox })
    : outbox;
  return {
    notifier,
    printChannel: FilePrintChannel.inDataDir(config.dataDir),
    close: () => notifier.close(),
  };
}
