import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, canonicalJson, deterministicUuid, sha256Hex, type Clock } from '@asiointitili/core';
import { accountDecider, accountStream, canReceiveElectronically, messageDecider, messageStream, type AttachmentRef, type Delivery, type MessageKind, type NotificationSettings } from '@asiointitili/domain';
import { ATTACHMENT_CLAIMS, type AttachmentClaims } from '../../attachments/attachment-claims';
import { actorOf, type AgencyPrincipal } from '../../auth/principal';
import { CITIZEN_REFS, CitizenRefs } from '../../identity/citizen-ref';
import type { AppConfig } from '../../config/app-config';
import { ProblemException, problem } from '../../http/problem';
import { AgencyDirectory } from '../agency-directory';
import { CommandExecutor } from '../command-executor';
import { ThreadLinks } from '../../two-way/thread-links';
import { DomainRejection } from '../domain-rejection';
import { requestContext } from '../request-context';
import { APP_CONFIG } from '../tokens';

export interface SendMessageInput {
  /** The recipient's henkilötunnus; may be left out only when `inReplyTo` names the thread (its citizen is the recipient). */
  readonly hetu?: string;
  readonly kind: MessageKind;
  readonly delivery: Delivery;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly string[];
  readonly replyAllowed: boolean;
  readonly inReplyTo?: string;
  readonly externalId?: string;
  /** 1..365: the appeal period that service starts (Act 150/1930 counts its last day). */
  readonly appealPeriodDays?: number;
  /** Scheduled publishing: reaches the recipient, and starts its legal clock, at this instant. */
  readonly publishAt?: string;
  /** Helsinki date by which a reply is requested (needs replyAllowed). */
  readonly replyBy?: string;
  /** For the person alone, not for those acting on their behalf. */
  readonly confidential?: boolean;
  /** Reminders on or off and the notice's own text per language. */
  readonly notification?: NotificationSettings;
}

export class SendMessageCommand {
  constructor(readonly principal: AgencyPrincipal, readonly input: SendMessageInput, readonly requestId?: string) {}
}

export interface SendMessageResult {
  readonly id: string;
  readonly route: 'electronic' | 'paper';
  readonly sentAt: string;
  readonly deemedServedOn?: string;
  readonly acknowledgeBy?: string;
  /** Scheduled: when the message reaches the recipient. */
  readonly publishAt?: string;
  readonly position: bigint;
}

/**
 * The id of a message sent with an externalId is derived from (agency, externalId), so the
 * message stream itself is the uniqueness guard: a repeat finds the stream already there and is
 * refused atomically by the event store, with no read-model race.
 */
export function messageIdFor(agencyId: string, externalId: string | undefined): string {
  return externalId === undefined ? `m-${randomUUID()}` : `m-${deterministicUuid('message', agencyId, externalId)}`;
}

/** What a proof of service binds to: subject, body and the hashes of the attachments. */
export function contentSha256(subject: string, body: string, attachments: readonly AttachmentRef[]): string {
  return sha256Hex(canonicalJson({ subject, body, attachments: attachments.map((a) => a.sha256) }));
}

@CommandHandler(SendMessageCommand)
export class SendMessageHandler implements ICommandHandler<SendMessageCommand, SendMessageResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly agencies: AgencyDirectory,
    @Inject(CITIZEN_REFS) private readonly citizenRefs: CitizenRefs,
    @Inject(ATTACHMENT_CLAIMS) private readonly attachments: AttachmentClaims,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    // Injected by Nest; the default serves callers that build the handler by hand (the bench).
    private readonly threads: ThreadLinks = new ThreadLinks(executor),
  ) {}

  async execute({ principal, input, requestId }: SendMessageCommand): Promise<SendMessageResult> {
    const agencyId = principal.agencyId;
    if (!(await this.agencies.isRegistered(agencyId))) {
      throw new ProblemException(problem(403, 'agency-not-registered', 'The agency in the token is not registered.'));
    }
    const at = this.clock.now().toISOString();
    const citizenRef = input.hetu !== undefined ? this.citizenRefs.refOf(input.hetu) : await this.threads.recipientOf(input.inReplyTo, agencyId);
    const messageId = messageIdFor(agencyId, input.externalId);
    // A repeat is answered with the original id before its attachments (which the original used,
    // so claiming them would say 422) are looked at; without attachments the append below is the
    // only check needed, and it stays the guard against two repeats at once.
    if (input.externalId !== undefined && input.attachments.length > 0 && (await this.executor.load(messageStream(messageId), messageDecider)).state.exists) {
      throw duplicateExternalId(messageId, input.externalId);
    }
    await this.threads.assertLinkable(input.inReplyTo, agencyId, citizenRef);
    const owner = `agency:${agencyId}`;
    const attachments = await this.attachments.claim(owner, input.attachments);
    const account = await this.executor.load(accountStream(citizenRef), accountDecider);
    const recipient = canReceiveElectronically(account.state, agencyId, this.config.consentPolicy, at);
    try {
      const execution = await this.executor.execute(
        messageStream(messageId),
        messageDecider,
        {
          type: 'SendMessage',
          messageId,
          agencyId,
          citizenRef,
          externalId: input.externalId,
          kind: input.kind,
          delivery: input.delivery,
          subject: input.subject,
          body: input.body,
          attachments,
          replyAllowed: input.replyAllowed,
          inReplyTo: input.inReplyTo,
          appealPeriodDays: input.appealPeriodDays,
          publishAt: input.publishAt,
          replyBy: input.replyBy,
          confidential: input.confidential,
          notification: input.notification,
          recipient,
          contentSha256: contentSha256(input.subject, input.body, attachments),
          at,
        },
        // A fresh command id per request: two requests with one externalId must not look like one
        // retried append (the event store would accept both); the second finds the stream and gets 409.
        requestContext(actorOf(principal), requestId),
        // A message id is new unless its externalId was used before (then the conflict leads to 409).
        { expectNewStream: true },
      );
      await this.attachments.confirm(owner, input.attachments, messageId);
      const sent = execution.appended.find((e) => e.type === 'MessageSent')!.data as {
        route: 'electronic' | 'paper';
        sentAt: string;
        deemedServedOn?: string;
        acknowledgeBy?: string;
        publishAt?: string;
      };
      return {
        id: messageId,
        route: sent.route,
        sentAt: sent.sentAt,
        deemedServedOn: sent.deemedServedOn,
        acknowledgeBy: sent.acknowledgeBy,
        publishAt: sent.publishAt,
        position: execution.position!,
      };
    } catch (error) {
      if (error instanceof DomainRejection && error.error.code === 'message-exists' && input.externalId !== undefined) {
        throw duplicateExternalId(messageId, input.externalId);
      }
      throw error;
    }
  }
}

const duplicateExternalId = (id: string, externalId: string): ProblemException =>
  new ProblemException(problem(409, 'duplicate-external-id', 'A message with this externalId was already sent; nothing new was created.', { id, externalId }));
