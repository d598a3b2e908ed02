/**
 * @asiointitili/domain: the rules of Asiointitili as plain TypeScript — commands, events,
 * deciders, legal time and identity codes. No framework, no I/O, no clock.
 *
 * The given/when/then helper and fixtures in ./testing are for specs and are not exported here.
 */
export * from './events';
export * from './commands';
export * from './decider';
export * from './errors';
export * from './event-out-of-place';
export * from './legal-time';
export * from './holidays';
export * from './notification-settings';
export * from './content-limits';
export * from './identity/hetu';
export * from './identity/business-id';
export * from './agency/agency.decider';
export * from './agency/credential-rules';
export * from './access/access.decider';
export * from './account/account.decider';
export * from './message/message.decider';
export * from './application/application.decider';
export * from './mandate/mandate.decider';
export * from './streams';
export * from './replay';
