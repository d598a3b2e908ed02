export * from './notification-text';
export * from './outbox-notifier';
export * from './smtp-notifier';
export * from './channel-router';
export * from './file-print-channel';
export * from './create-delivery';
