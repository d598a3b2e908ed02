import type { RecordedEvent } from '@asiointitili/core';
import {
  appealEnd,
  evolveMessage,
  initialMessageState,
  isOnPaper,
  reachedAccount,
  type AssuranceLevel,
  type Delivery,
  type ExistingMessage,
  type IdentificationMethod,
  type MessageEvent,
  type MessageKind,
  type MessageState,
  type PaperReason,
  type Route,
} from '@asiointitili/domain';
import { toDomainEvent } from '../write/command-executor';
import { etsiContextOf, etsiEvidenceOf, type EtsiEvidence } from './etsi-events';

/** Version of the payload below; a verifier switches on it. */
export const PROOF_FORMAT = 'asiointitili-proof/1';
/** JWS `typ` of a proof of service (RFC 7515 §4.1.9), so a proof is never mistaken for a token or a seal. */
export const PROOF_TYPE = 'asiointitili-proof+jws';
/** `iss` of every proof. */
export const PROOF_ISSUER = 'asiointitili';

/**
 * How the message was served, as far as the log shows at the moment the proof is issued.
 * `pending` is a proof of submission: what was sent and when it became available, nothing more.
 */
export type ServiceStatement =
  | {
      readonly status: 'acknowledged';
      readonly at: string;
      /** How the person who acknowledged identified: the recipient, or (with `onBehalf`) the one acting for them. */
      readonly method: IdentificationMethod;
      readonly assurance: AssuranceLevel;
      /** Acknowledged on the recipient's behalf (13/2003 §18): the agent's citizenRef and the mandate. */
      readonly onBehalf?: { readonly agentRef: string; readonly mandateId: string; readonly relation: string };
    }
  | { readonly status: 'deemed'; readonly on: string; readonly at: string }
  | {
      readonly status: 'paper';
      /** `routed-at-sending`: there was no electronic route; `fallback`: a registered message went unacknowledged (or the account closed). */
      readonly via: 'routed-at-sending' | 'fallback';
      readonly reason: PaperReason;
      readonly at: string;
      /** The hand-off to the print channel, once recorded; service then happens by post, outside this system. */
      readonly printHandOff: { readonly printJobId: string; readonly at: string } | null;
    }
  | { readonly status: 'pending'; readonly acknowledgeBy?: string; readonly deemedServedOn?: string };

/** One event of the message's stream, by its hash: the proof names every step, never the content. */
export interface ProofStep {
  readonly revision: string;
  readonly type: string;
  readonly at: string;
  readonly hash: string;
  readonly evidence: readonly EtsiEvidence[];
}

export interface ProofPayload {
  readonly format: typeof PROOF_FORMAT;
  readonly iss: string;
  /** Issued at, seconds since the epoch (JWT NumericDate). */
  readonly iat: number;
  readonly messageId: string;
  readonly agencyId: string;
  /** The recipient's pseudonym; a proof never carries a henkilötunnus. */
  readonly citizenRef: string;
  readonly externalId?: string;
  readonly kind: MessageKind;
  readonly delivery: Delivery;
  readonly route: Route;
  readonly sentAt: string;
  /** When the message became available in the recipient's account (its publication when scheduled); null for a message routed to paper at sending, or scheduled and not (yet) published. */
  readonly availableAt: string | null;
  /** The moment of service (acknowledgement, or the start of the deemed-served day); null while pending or on paper. */
  readonly servedAt: string | null;
  readonly service: ServiceStatement;
  /** SHA-256 of the canonical content (subject, body, attachment hashes), as recorded at sending. */
  readonly contentSha256: string;
  /**
   * The appeal period the agency gave at sending, and once the message is served its last day
   * (Helsinki date, Act 150/1930: the day of service not counted, moved off days that are not
   * working days). Absent when the agency gave no period.
   */
  readonly appeal?: { readonly periodDays: number; readonly endsOn: string | null };
  /** The event that establishes `service`; its hash chains back to the first event of the stream. */
  readonly restsOn: { readonly stream: string; readonly revision: string; readonly eventId: string; readonly type: string; readonly hash: string };
  /** ETSI EN 319 522-2 names of the event the proof rests on. */
  readonly evidence: readonly EtsiEvidence[];
  /** Every event of the stream at issuance, oldest first. */
  readonly trail: readonly ProofStep[];
}

export interface Issuance {
  readonly iss: string;
  readonly issuedAt: Date;
}

/**
 * The statement a proof of service signs, built from the message's own stream (never from a
 * projection, which may lag or be rebuilt). Null when the stream holds no message.
 */
export function proofPayloadOf(stream: string, events: readonly RecordedEvent[], issuance: Issuance): ProofPayload | null {
  let state: MessageState = initialMessageState;
  const trail: ProofStep[] = [];
  const firstOfType = new Map<string, RecordedEvent>();
  for (const event of events) {
    const domainEvent = toDomainEvent<MessageEvent>(event);
    state = evolveMessage(state, domainEvent);
    if (!state.exists) continue;
    if (!firstOfType.has(event.type)) firstOfType.set(event.type, event);
    trail.push({
      revision: event.revision.toString(),
      type: event.type,
      at: event.metadata.occurredAt,
      hash: event.metadata.hash,
      evidence: etsiEvidenceOf(domainEvent, etsiContextOf(state)),
    });
  }
  if (!state.exists) return null;

  const { service: statement, servedAt, restsOnType } = serviceOf(state);
  const basis = firstOfType.get(restsOnType);
  if (!basis) throw new Error(`stream ${stream} states ${statement.status} service without a ${restsOnType} event`);
  // The person served is the recipient (citizenRef); an agent who acknowledged for them is named beside.
  const actingFor = basis.metadata.actor.actingFor;
  const service: ServiceStatement =
    statement.status === 'acknowledged' && actingFor !== undefined
      ? { ...statement, onBehalf: { agentRef: basis.metadata.actor.id, mandateId: actingFor.mandateId, relation: actingFor.relation } }
      : statement;
  const basisStep = trail.find((step) => step.revision === basis.revision.toString());
  const sent = state.message;
  return {
    format: PROOF_FORMAT,
    iss: issuance.iss,
    iat: Math.floor(issuance.issuedAt.getTime() / 1000),
    messageId: sent.messageId,
    agencyId: sent.agencyId,
    citizenRef: sent.citizenRef,
    ...(sent.externalId === undefined ? {} : { externalId: sent.externalId }),
    kind: sent.kind,
    delivery: sent.delivery,
    route: sent.route,
    sentAt: sent.sentAt,
    availableAt: reachedAccount(state) ? (state.publishedAt ?? sent.sentAt) : null,
    servedAt,
    service,
    contentSha256: sent.contentSha256,
    ...(sent.appealPeriodDays === undefined ? {} : { appeal: { periodDays: sent.appealPeriodDays, endsOn: appealEnd(state) ?? null } }),
    restsOn: { stream, revision: basis.revision.toString(), eventId: basis.id, type: basis.type, hash: basis.metadata.hash },
    evidence: basisStep?.evidence ?? [],
    trail,
  };
}


/** The same precedence as the agency's view (agencyState): an acknowledgement outranks paper, paper outranks deemed service. */
function serviceOf(state: ExistingMessage): { service: ServiceStatement; servedAt: string | null; restsOnType: string } {
  if (state.acknowledgement) {
    const { at, method, assurance } = state.acknowledgement;
    return { service: { status: 'acknowledged', at, method, assurance }, servedAt: at, restsOnType: 'ReceiptAcknowledged' };
  }
  if (isOnPaper(state)) {
    const printHandOff = state.printHandOff ? { printJobId: state.printHandOff.printJobId, at: state.printHandOff.at } : null;
    const onPaper = paperStepOf(state);
    return {
      service: { status: 'paper', via: onPaper.via, reason: onPaper.reason, at: onPaper.at, printHandOff },
      servedAt: null,
      // The hand-off is the last thing this system can vouch for; before it, the decision to print.
      restsOnType: printHandOff ? 'MessageHandedToPrint' : onPaper.type,
    };
  }
  if (state.deemedServed) {
    const { servedOn: on, at } = state.deemedServed;
    return { service: { status: 'deemed', on, at }, servedAt: at, restsOnType: 'MessageDeemedServed' };
  }
  const { acknowledgeBy, deemedServedOn } = state.message;
  return {
    service: { status: 'pending', ...(acknowledgeBy === undefined ? {} : { acknowledgeBy }), ...(deemedServedOn === undefined ? {} : { deemedServedOn }) },
    servedAt: null,
    restsOnType: 'MessageSent',
  };
}

function paperStepOf(state: ExistingMessage): { via: 'routed-at-sending' | 'fallback'; reason: PaperReason; at: string; type: string } {
  if (state.fallback) return { via: 'fallback', reason: state.fallback.reason, at: state.fallback.at, type: 'PaperFallbackTriggered' };
  if (state.routedToPaper) return { via: 'routed-at-sending', reason: state.routedToPaper.reason, at: state.routedToPaper.at, type: 'MessageRoutedToPaper' };
  // The decider always records the reason with a paper route; a stream without it is not one this system wrote.
  throw new Error(`message ${state.message.messageId} is on paper without a recorded reason`);
}
