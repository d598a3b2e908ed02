export * from './event-store.port';
export * from './read-store.port';
export * from './blob-store.port';
export * from './clock.port';
export * from './notifier.port';
export * from './print-channel.port';
export * from './malware-scanner.port';
