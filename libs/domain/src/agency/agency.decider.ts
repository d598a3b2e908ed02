/**
 * Agency: a sending organisation, registered once by an operator, with the machine credentials
 * of its integration and the networks that integration may call from.
 */
import type { AgencyCommand, IssueAgencyCredential, RemoveWebhook, RevokeAgencyCredential, SetAgencyIpAllowlist, SubscribeWebhook } from '../commands';
import { accept, assertNever, reject, type DecideResult, type Decider } from '../decider';
import { domainError } from '../errors';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { AgencyEvent, SecretHashParams } from '../events';
import { parseBusinessId } from '../identity/business-id';
import { cidrProblem, secretHashProblem } from './credential-rules';

export const AGENCY_NAME_MAX_CHARACTERS = 256;
/** Rotation needs two at once (old and new); a few more leave room for separate integrations, not for hoarding. */
export const MAX_ACTIVE_CREDENTIALS = 5;
export const MAX_IP_ALLOWLIST_ENTRIES = 100;
/** A handful: one per integration (production, a test environment, a monitor), not a fan-out service. */
export const MAX_ACTIVE_WEBHOOKS = 5;

export interface AgencyCredential {
  readonly clientId: string;
  readonly secretHash: string;
  readonly salt: string;
  readonly params: SecretHashParams;
  readonly issuedAt: string;
  readonly revokedAt?: string;
}

export interface RegisteredAgency {
  readonly registered: true;
  readonly agencyId: string;
  readonly name: string;
  readonly businessId: string;
  readonly registeredAt: string;
  /** Every credential ever issued, in issue order; revoked ones stay with their `revokedAt`. */
  readonly credentials: readonly AgencyCredential[];
  /** Empty: calls are allowed from any network. */
  readonly ipAllowlist: readonly string[];
  /** Every webhook ever subscribed, in order; removed ones stay with their `removedAt`. */
  readonly webhooks: readonly AgencyWebhook[];
}

export interface AgencyWebhook {
  readonly webhookId: string;
  readonly url: string;
  readonly subscribedAt: string;
  readonly removedAt?: string;
}

export type AgencyState = { readonly registered: false } | RegisteredAgency;

export const isActiveCredential = (credential: AgencyCredential): boolean => credential.revokedAt === undefined;
export const isActiveWebhook = (webhook: AgencyWebhook): boolean => webhook.removedAt === undefined;

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  initialState: { registered: false },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterAgency': {
        if (state.registered) return reject(domainError('conflict', 'agency-exists', `agency ${command.agencyId} is already registered`));
        const name = command.name.trim();
        if (name.length === 0) return reject(domainError('invalid', 'agency-name-required', 'the agency needs a name'));
        if ([...name].length > AGENCY_NAME_MAX_CHARACTERS) {
          return reject(domainError('invalid', 'agency-name-too-long', `the name may have at most ${AGENCY_NAME_MAX_CHARACTERS} characters`));
        }
        const businessId = parseBusinessId(command.businessId);
        if (!businessId.ok) return reject(domainError('invalid', 'invalid-business-id', businessId.detail));
        return accept({
          type: 'AgencyRegistered',
          data: { agencyId: command.agencyId, name, businessId: businessId.businessId, registeredAt: command.at },
        });
      }
      case 'IssueAgencyCredential':
        return state.registered ? issueCredential(command, state) : reject(agencyNotFound(command.agencyId));
      case 'RevokeAgencyCredential':
        return state.registered ? revokeCredential(command, state) : reject(agencyNotFound(command.agencyId));
      case 'SetAgencyIpAllowlist':
        return state.registered ? setIpAllowlist(command, state) : reject(agencyNotFound(command.agencyId));
      case 'SubscribeWebhook':
        return state.registered ? subscribeWebhook(command, state) : reject(agencyNotFound(command.agencyId));
      case 'RemoveWebhook':
        return state.registered ? removeWebhook(command, state) : reject(agencyNotFound(command.agencyId));
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'AgencyRegistered') {
      if (state.registered) throw new EventOutOfPlaceError(event.type, `agency ${state.agencyId} was already registered`);
      return { registered: true, ...event.data, credentials: [], ipAllowlist: [], webhooks: [] };
    }
    if (!state.registered) throw new EventOutOfPlaceError(event.type, 'the stream has no AgencyRegistered before it');
    switch (event.type) {
      case 'AgencyCredentialIssued': {
        const { clientId, secretHash, salt, params, issuedAt } = event.data;
        return { ...state, credentials: [...state.credentials, { clientId, secretHash, salt, params, issuedAt }] };
      }
      case 'AgencyCredentialRevoked': {
        const { clientId, revokedAt } = event.data;
        if (!state.credentials.some((c) => c.clientId === clientId)) throw new EventOutOfPlaceError(event.type, `no credential ${clientId} was issued`);
        return { ...state, credentials: state.credentials.map((c) => (c.clientId === clientId ? { ...c, revokedAt } : c)) };
      }
      case 'AgencyIpAllowlistSet':
        return { ...state, ipAllowlist: event.data.cidrs };
      case 'WebhookSubscribed': {
        const { webhookId, url, subscribedAt } = event.data;
        if (state.webhooks.some((w) => w.webhookId === webhookId)) throw new EventOutOfPlaceError(event.type, `webhook ${webhookId} was already subscribed`);
        return { ...state, webhooks: [...state.webhooks, { webhookId, url, subscribedAt }] };
      }
      case 'WebhookRemoved': {
        const { webhookId, removedAt } = event.data;
        if (!state.webhooks.some((w) => w.webhookId === webhookId)) throw new EventOutOfPlaceError(event.type, `no webhook ${webhookId} was subscribed`);
        return { ...state, webhooks: state.webhooks.map((w) => (w.webhookId === webhookId ? { ...w, removedAt } : w)) };
      }
      default:
        return assertNever(event);
    }
  },
};

const agencyNotFound = (agencyId: string) => domainError('not-found', 'agency-not-found', `no agency ${agencyId}`);

function issueCredential(command: IssueAgencyCredential, state: RegisteredAgency): DecideResult<AgencyEvent> {
  if (!isClientIdOf(command.clientId, state.agencyId)) {
    return reject(domainError('invalid', 'invalid-client-id', `a client id of agency ${state.agencyId} is "${state.agencyId}." followed by 16–64 base64url characters`));
  }
  if (state.credentials.some((c) => c.clientId === command.clientId)) {
    return reject(domainError('conflict', 'credential-exists', `client id ${command.clientId} was already issued`));
  }
  const weak = secretHashProblem(command);
  if (weak) return reject(weak);
  if (state.credentials.filter(isActiveCredential).length >= MAX_ACTIVE_CREDENTIALS) {
    return reject(domainError('conflict', 'too-many-credentials', `an agency may have at most ${MAX_ACTIVE_CREDENTIALS} active credentials; revoke one first`));
  }
  const { agencyId, clientId, secretHash, salt, params, at } = command;
  return accept({ type: 'AgencyCredentialIssued', data: { agencyId, clientId, secretHash, salt, params, issuedAt: at } });
}

function revokeCredential(command: RevokeAgencyCredential, state: RegisteredAgency): DecideResult<AgencyEvent> {
  const credential = state.credentials.find((c) => c.clientId === command.clientId);
  if (!credential) return reject(domainError('not-found', 'credential-not-found', `agency ${state.agencyId} has no credential ${command.clientId}`));
  // Revoking twice changes nothing: the first revocation stands with its time.
  if (!isActiveCredential(credential)) return accept();
  return accept({ type: 'AgencyCredentialRevoked', data: { agencyId: state.agencyId, clientId: command.clientId, revokedAt: command.at } });
}

function setIpAllowlist(command: SetAgencyIpAllowlist, state: RegisteredAgency): DecideResult<AgencyEvent> {
  if (command.cidrs.length > MAX_IP_ALLOWLIST_ENTRIES) {
    return reject(domainError('invalid', 'too-many-cidrs', `an allowlist may have at most ${MAX_IP_ALLOWLIST_ENTRIES} entries`));
  }
  for (const cidr of command.cidrs) {
    const problem = cidrProblem(cidr);
    if (problem) return reject(problem);
  }
  if (new Set(command.cidrs).size !== command.cidrs.length) return reject(domainError('invalid', 'duplicate-cidr', 'the allowlist names a network twice'));
  const unchanged = command.cidrs.length === state.ipAllowlist.length && command.cidrs.every((cidr) => state.ipAllowlist.includes(cidr));
  if (unchanged) return accept();
  return accept({ type: 'AgencyIpAllowlistSet', data: { agencyId: state.agencyId, cidrs: [...command.cidrs], setAt: command.at } });
}

function subscribeWebhook(command: SubscribeWebhook, state: RegisteredAgency): DecideResult<AgencyEvent> {
  const existing = state.webhooks.find((w) => w.webhookId === command.webhookId);
  // The same id again is the same request retried: the first subscription stands.
  if (existing) return existing.url === command.url ? accept() : reject(domainError('conflict', 'webhook-exists', `webhook ${command.webhookId} exists with another URL`));
  const active = state.webhooks.filter(isActiveWebhook);
  if (active.some((w) => w.url === command.url)) {
    return reject(domainError('conflict', 'webhook-url-subscribed', 'this URL already receives the feed; remove that webhook first to subscribe it again'));
  }
  if (active.length >= MAX_ACTIVE_WEBHOOKS) {
    return reject(domainError('conflict', 'too-many-webhooks', `an agency may have at most ${MAX_ACTIVE_WEBHOOKS} webhooks; remove one first`));
  }
  const { agencyId, webhookId, url, at } = command;
  return accept({ type: 'WebhookSubscribed', data: { agencyId, webhookId, url, subscribedAt: at } });
}

function removeWebhook(command: RemoveWebhook, state: RegisteredAgency): DecideResult<AgencyEvent> {
  const webhook = state.webhooks.find((w) => w.webhookId === command.webhookId);
  if (!webhook) return reject(domainError('not-found', 'webhook-not-found', `agency ${state.agencyId} has no webhook ${command.webhookId}`));
  // Removing twice changes nothing: the first removal stands with its time.
  if (!isActiveWebhook(webhook)) return accept();
  return accept({ type: 'WebhookRemoved', data: { agencyId: state.agencyId, webhookId: command.webhookId, removedAt: command.at } });
}

/** `<agencyId>.<16–64 base64url characters>`: agency ids have no dot, so the agency is the part before the first one. */
export function isClientIdOf(clientId: string, agencyId: string): boolean {
  return clientId.startsWith(`${agencyId}.`) && /^[A-Za-z0-9_-]{16,64}$/.test(clientId.slice(agencyId.length + 1));
}

/** The agency id a client id names, or undefined when it has no agency part. */
export function agencyIdOfClientId(clientId: string): string | undefined {
  const dot = clientId.indexOf('.');
  return dot > 0 ? clientId.slice(0, dot) : undefined;
}
