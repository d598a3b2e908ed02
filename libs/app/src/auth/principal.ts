import type { Actor } from '@asiointitili/core';
import { assertNever } from '@asiointitili/domain/decider';

export const ROLES = ['citizen', 'agency', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Level of assurance of a citizen's identification (eIDAS). */
export const ACRS = ['substantial', 'high'] as const;
export type Acr = (typeof ACRS)[number];

/** How the citizen identified: online bank, mobile certificate, or ID card. */
export const AMRS = ['bank', 'mobile', 'idcard'] as const;
export type Amr = (typeof AMRS)[number];

/**
 * A citizen call made on behalf of another person (`X-Act-For`, see libs/app/src/mandates): the
 * principal's `citizenRef` is then the person acted for, and this names the signed-in agent.
 */
export interface OnBehalf {
  /** The signed-in agent's own citizenRef. */
  readonly agentRef: string;
  readonly mandateId: string;
  readonly relation: 'guardian' | 'mandate';
}

export type Principal =
  /** `citizenRef`: whose inbox and account the call concerns (with `onBehalf`: the person acted for); `hetu`, `acr`, `amr`: the signed-in person's. */
  | { readonly role: 'citizen'; readonly hetu: string; readonly citizenRef: string; readonly acr: Acr; readonly amr: Amr; readonly onBehalf?: OnBehalf }
  /** `clientId`: the machine credential the token was exchanged for (absent on development tokens). */
  | { readonly role: 'agency'; readonly agencyId: string; readonly clientId?: string }
  | { readonly role: 'auditor'; readonly subject: string }
  | { readonly role: 'admin'; readonly subject: string };

export type PrincipalOf<R extends Role> = Extract<Principal, { readonly role: R }>;
export type CitizenPrincipal = PrincipalOf<'citizen'>;
export type AgencyPrincipal = PrincipalOf<'agency'>;

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
export const isAcr = (value: unknown): value is Acr => typeof value === 'string' && (ACRS as readonly string[]).includes(value);
export const isAmr = (value: unknown): value is Amr => typeof value === 'string' && (AMRS as readonly string[]).includes(value);

/**
 * Who caused an event, as recorded in its metadata. A citizen is their citizenRef, never the
 * henkilötunnus: the log is append-only and must not hold the code.
 */
export function actorOf(principal: Principal): Actor {
  switch (principal.role) {
    case 'citizen':
      // Acting for someone: the actor is the agent, and the event names the person acted for.
      return principal.onBehalf === undefined
        ? { type: 'citizen', id: principal.citizenRef, method: principal.amr, assurance: principal.acr }
        : {
            type: 'citizen',
            id: principal.onBehalf.agentRef,
            method: principal.amr,
            assurance: principal.acr,
            actingFor: { citizenRef: principal.citizenRef, mandateId: principal.onBehalf.mandateId, relation: principal.onBehalf.relation },
          };
    case 'agency':
      return principal.clientId === undefined ? { type: 'agency', id: principal.agencyId } : { type: 'agency', id: principal.agencyId, method: 'client-credentials' };
    case 'auditor':
      return { type: 'auditor', id: principal.subject };
    case 'admin':
      return { type: 'admin', id: principal.subject };
    default:
      return assertNever(principal);
  }
}
