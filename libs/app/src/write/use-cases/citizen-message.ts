import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { appealEnd, citizenState, contentVisible, messageDecider, messageStream, reachedAccount, type AttachmentRef, type ExistingMessage, type MessageState } from '@asiointitili/domain';
import { actorOf, type CitizenPrincipal } from '../../auth/principal';
import { notFound } from '../../http/problem';
import { hiddenFromAgent } from '../../mandates/confidential';
import { deemedService } from '../../read/deemed-service';
import { CommandExecutor } from '../command-executor';
import { RouteCheck } from '../../legal-time/route-check';
import { requestContext } from '../request-context';

export interface CitizenAttachmentView extends AttachmentRef {
  readonly url: string;
}

/** A message as its recipient opens it (API.md: GET /v1/citizen/messages/{id}). */
export interface CitizenMessageView {
  readonly id: string;
  readonly agencyId: string;
  readonly kind: string;
  readonly delivery: string;
  readonly subject: string;
  readonly state: string;
  readonly sentAt: string;
  readonly replyAllowed: boolean;
  /** The Helsinki date by which the sender asks for a reply. */
  readonly replyBy?: string;
  /** For the person alone: never shown to someone acting on their behalf. */
  readonly confidential: boolean;
  readonly inReplyTo?: string;
  readonly deemedServedOn?: string;
  readonly deemedServedAt?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgementRequired: boolean;
  /** Registered, still to be acknowledged: the acknowledgement is possible until this instant (the end of the 7th Helsinki day after availability). */
  readonly acknowledgeBy?: string;
  /** The appeal period's length, when the agency gave one. */
  readonly appealPeriodDays?: number;
  /** Once served: the last day of the appeal period (Helsinki date, Act 150/1930). */
  readonly appealEndsOn?: string;
  /** null until a registered message is acknowledged (§18: acknowledge before the content opens). */
  readonly body: string | null;
  readonly attachments: readonly CitizenAttachmentView[] | null;
}

export const attachmentUrl = (attachmentId: string): string => `/v1/attachments/${attachmentId}`;

/**
 * The recipient opens a message. Reads the message's own stream (not a projection), so content
 * is withheld or shown by the domain's rule on the authoritative state, and records the first
 * reading as an event. Anyone but the recipient gets 404: existence is never revealed.
 */
export class OpenMessageCommand {
  constructor(readonly principal: CitizenPrincipal, readonly messageId: string, readonly requestId?: string) {}
}

@CommandHandler(OpenMessageCommand)
export class OpenMessageHandler implements ICommandHandler<OpenMessageCommand, CitizenMessageView> {
  constructor(private readonly executor: CommandExecutor, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, messageId, requestId }: OpenMessageCommand): Promise<CitizenMessageView> {
    const current = await this.executor.load(messageStream(messageId), messageDecider);
    const state = ownElectronicMessage(current.state, principal);
    const execution = await this.executor.execute(
      messageStream(messageId),
      messageDecider,
      { type: 'OpenMessage', messageId, citizenRef: principal.citizenRef, onBehalf: principal.onBehalf, at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    return citizenView(execution.state.exists ? execution.state : state);
  }
}

export class AcknowledgeReceiptCommand {
  constructor(readonly principal: CitizenPrincipal, readonly messageId: string, readonly requestId?: string) {}
}

export interface AcknowledgementResult {
  readonly acknowledgedAt: string;
  /** False when this call repeated an earlier acknowledgement (answered 200 with the first time). */
  readonly created: boolean;
}

/**
 * §18 registered service: the moment of acknowledgement is the moment of service. The route is
 * checked first (RouteCheck): a message recorded after its account closed or its consent was
 * revoked is on paper and cannot be served electronically (409 fell-back-to-paper).
 */
@CommandHandler(AcknowledgeReceiptCommand)
export class AcknowledgeReceiptHandler implements ICommandHandler<AcknowledgeReceiptCommand, AcknowledgementResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly routeCheck: RouteCheck,
  ) {}

  async execute({ principal, messageId, requestId }: AcknowledgeReceiptCommand): Promise<AcknowledgementResult> {
    const current = await this.executor.load(messageStream(messageId), messageDecider);
    const message = ownElectronicMessage(current.state, principal);
    const context = requestContext(actorOf(principal), requestId);
    if (message.acknowledgement === undefined) await this.routeCheck.verify(messageId, this.clock.now().toISOString(), context);
    const execution = await this.executor.execute(
      messageStream(messageId),
      messageDecider,
      { type: 'AcknowledgeReceipt', messageId, citizenRef: principal.citizenRef, method: principal.amr, assurance: principal.acr, onBehalf: principal.onBehalf, at: this.clock.now().toISOString() },
      context,
    );
    const state = execution.state as ExistingMessage;
    return { acknowledgedAt: state.acknowledgement!.at, created: execution.appended.length > 0 };
  }
}

/** The message, if it exists, is this citizen's, reached the account and (for an agent) is not confidential; 404 otherwise. */
function ownElectronicMessage(state: MessageState, principal: CitizenPrincipal): ExistingMessage {
  // A scheduled message does not exist for the recipient before its publication (nor once cancelled,
  // nor when it went to paper at its publication).
  if (!state.exists || state.message.citizenRef !== principal.citizenRef || !reachedAccount(state)) throw notFound('message');
  if (hiddenFromAgent(state.message, principal)) throw notFound('message');
  return state;
}

export function citizenView(state: ExistingMessage): CitizenMessageView {
  const sent = state.message;
  const visible = contentVisible(state);
  const view = citizenState(state);
  const deemed = deemedService(state);
  const pending = sent.delivery === 'registered' && (view === 'unread' || view === 'read');
  return {
    id: sent.messageId,
    agencyId: sent.agencyId,
    kind: sent.kind,
    delivery: sent.delivery,
    subject: sent.subject,
    state: view,
    sentAt: sent.sentAt,
    replyAllowed: sent.replyAllowed,
    replyBy: sent.replyBy,
    confidential: sent.confidential === true,
    inReplyTo: sent.inReplyTo,
    deemedServedOn: deemed.on,
    deemedServedAt: deemed.at,
    acknowledgedAt: state.acknowledgement?.at,
    acknowledgementRequired: pending,
    acknowledgeBy: pending ? sent.acknowledgeBy : undefined,
    appealPeriodDays: sent.appealPeriodDays,
    appealEndsOn: appealEnd(state),
    body: visible ? sent.body : null,
    attachments: visible ? sent.attachments.map((a) => ({ ...a, url: attachmentUrl(a.id) })) : null,
  };
}
