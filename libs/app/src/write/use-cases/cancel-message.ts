import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { messageDecider, messageStream, type ExistingMessage } from '@asiointitili/domain';
import { actorOf, type AgencyPrincipal } from '../../auth/principal';
import { CommandExecutor } from '../command-executor';
import { requestContext } from '../request-context';

export class CancelMessageCommand {
  constructor(readonly principal: AgencyPrincipal, readonly messageId: string, readonly requestId?: string) {}
}

export interface CancelMessageResult {
  readonly id: string;
  readonly cancelledAt: string;
}

/**
 * The sending agency withdraws a scheduled message before its publishAt (API.md: DELETE
 * /v1/agency/messages/{id}). The domain decides: another agency's message is 404, a published or
 * unscheduled one 409, a repeat answers with the first cancellation.
 */
@CommandHandler(CancelMessageCommand)
export class CancelMessageHandler implements ICommandHandler<CancelMessageCommand, CancelMessageResult> {
  constructor(private readonly executor: CommandExecutor, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, messageId, requestId }: CancelMessageCommand): Promise<CancelMessageResult> {
    const execution = await this.executor.execute(
      messageStream(messageId),
      messageDecider,
      { type: 'CancelMessage', messageId, agencyId: principal.agencyId, at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    return { id: messageId, cancelledAt: (execution.state as ExistingMessage).cancelledAt! };
  }
}
