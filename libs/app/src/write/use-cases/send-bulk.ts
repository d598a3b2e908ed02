import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AgencyPrincipal } from '../../auth/principal';
import { ProblemFilter } from '../../http/problem.filter';
import type { Problem } from '../../http/problem';
import { SendMessageCommand, SendMessageHandler, type SendMessageInput } from './send-message';

/** One item of a bulk send: a message to send, or the problem its own fields already have. */
export type BulkItem = { readonly ok: true; readonly input: SendMessageInput } | { readonly ok: false; readonly problem: Problem };

export interface BulkItemResult {
  readonly index: number;
  readonly id?: string;
  readonly route?: 'electronic' | 'paper';
  /** What a single POST /v1/agency/messages would have answered: 201, or the problem's status. */
  readonly status: number;
  readonly problem?: Problem;
}

export class SendBulkCommand {
  constructor(readonly principal: AgencyPrincipal, readonly items: readonly BulkItem[], readonly requestId?: string) {}
}

/**
 * Many messages in one request, each exactly as a single send (SendMessageHandler itself runs
 * for every item), each with its own answer: one refused item never stops the others. The items
 * run concurrently, so their appends share the event store's group commits; each is its own
 * transaction, so a partial failure leaves exactly the successful items sent (retrying the whole
 * request is safe: the externalIds of the sent ones answer 409 with their ids).
 */
@CommandHandler(SendBulkCommand)
export class SendBulkHandler implements ICommandHandler<SendBulkCommand, BulkItemResult[]> {
  private readonly problems = new ProblemFilter();

  constructor(private readonly single: SendMessageHandler) {}

  execute({ principal, items, requestId }: SendBulkCommand): Promise<BulkItemResult[]> {
    return Promise.all(
      items.map(async (item, index): Promise<BulkItemResult> => {
        if (!item.ok) return { index, status: item.problem.status, problem: item.problem };
        try {
          const sent = await this.single.execute(new SendMessageCommand(principal, item.input, requestId));
          return { index, id: sent.id, route: sent.route, status: 201 };
        } catch (error) {
          // The same mapping the HTTP layer applies to a single send (an unexpected error is logged there).
          const problem = this.problems.toProblem(error).body;
          return { index, status: problem.status, problem };
        }
      }),
    );
  }
}
