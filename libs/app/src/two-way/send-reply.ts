import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { messageDecider, messageStream, reachedAccount, type SendReply } from '@asiointitili/domain';
import { ATTACHMENT_CLAIMS, type AttachmentClaims } from '../attachments/attachment-claims';
import { ownerKey } from '../attachments/attachment-records';
import { usedByReply } from '../attachments/attachment-use';
import { actorOf, type CitizenPrincipal } from '../auth/principal';
import { notFound } from '../http/problem';
import { hiddenFromAgent } from '../mandates/confidential';
import { CommandExecutor } from '../write/command-executor';
import { DomainRejection } from '../write/domain-rejection';
import { requestContext } from '../write/request-context';

export interface SendReplyInput {
  readonly body: string;
  readonly attachments: readonly string[];
}

export class SendReplyCommand {
  constructor(readonly principal: CitizenPrincipal, readonly messageId: string, readonly input: SendReplyInput, readonly requestId?: string) {}
}

export interface SendReplyResult {
  readonly id: string;
  readonly position: bigint;
}

/**
 * The recipient answers a message that allows replies (an information request, typically). The
 * reply is an event on the message's own stream, so the agency's feed and the thread get it.
 */
@CommandHandler(SendReplyCommand)
export class SendReplyHandler implements ICommandHandler<SendReplyCommand, SendReplyResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ATTACHMENT_CLAIMS) private readonly attachments: AttachmentClaims,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, messageId, input, requestId }: SendReplyCommand): Promise<SendReplyResult> {
    const current = await this.executor.load(messageStream(messageId), messageDecider);
    // A paper-routed message never reached the account: to the citizen it is not there.
    if (!current.state.exists || current.state.message.citizenRef !== principal.citizenRef || !reachedAccount(current.state) || hiddenFromAgent(current.state.message, principal)) {
      throw notFound('message');
    }
    const replyId = `r-${randomUUID()}`;
    const command: SendReply = {
      type: 'SendReply',
      messageId,
      replyId,
      citizenRef: principal.citizenRef,
      body: input.body,
      attachments: [],
      onBehalf: principal.onBehalf,
      at: this.clock.now().toISOString(),
    };
    // The domain's verdict without the files first, so "replies are not allowed" (409) is the
    // answer whatever the attachments are; the decision proper runs again with them below.
    const dryRun = messageDecider.decide(command, current.state);
    if (!dryRun.ok) throw new DomainRejection(dryRun.error);

    const owner = ownerKey(principal);
    const attachments = await this.attachments.claim(owner, input.attachments);
    const execution = await this.executor.execute(messageStream(messageId), messageDecider, { ...command, attachments }, requestContext(actorOf(principal), requestId));
    await this.attachments.confirm(owner, input.attachments, usedByReply(messageId, replyId));
    return { id: replyId, position: execution.position! };
  }
}
