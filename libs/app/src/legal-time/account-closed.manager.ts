import { deterministicUuid, type ReadStore, type RecordedEvent } from '@asiointitili/core';
import { messageDecider, messageStream, type AccountClosed, type ExistingMessage, type FallBackToPaper } from '@asiointitili/domain';
import { Collections } from '../read/projections/collections';
import type { MessageDoc } from '../read/projections/messages.projection';
import type { ProjectionRunner } from '../read/projections/projection-runner';
import type { CommandExecutor } from '../write/command-executor';
import type { Reaction } from './event-reactor';
import { systemContext } from './system-context';

export const ACCOUNT_CLOSED_CHECKPOINT = 'pm:account-closed';

const PAGE_SIZE = 200;

/** Electronic, registered, neither acknowledged nor on paper yet: what a closing sends to paper at once. */
export function isPendingRegistered(message: ExistingMessage): boolean {
  return (
    message.message.route === 'electronic' &&
    message.message.delivery === 'registered' &&
    message.acknowledgement === undefined &&
    message.fallback === undefined &&
    message.cancelledAt === undefined
  );
}

/** Whether the message's MessageSent precedes a global position (its first trail step is the MessageSent). */
function sentBefore(doc: MessageDoc, position: bigint): boolean {
  const sent = doc.trail[0];
  return sent !== undefined && sent.type === 'MessageSent' && BigInt(sent.position) < position;
}

export interface AccountClosedOptions {
  /** How long to wait for the messages projection to include the closing before retrying later. */
  readonly projectionWaitMs: number;
}

/**
 * Closing the account stops electronic delivery: each of the person's registered messages that is
 * still waiting for an acknowledgement falls back to paper at once (reason `account-closed`, at
 * the instant of closing). Everything already served stays served.
 *
 * This covers the messages recorded before the closing (from the messages read model, after
 * waiting until it includes the closing, so none is missed for projection lag). A message recorded
 * after the closing — the sender looked at the account just before it closed — is the route
 * check's (route-check.ts), ordinary and registered alike.
 */
export class AccountClosedManager implements Reaction {
  readonly name = ACCOUNT_CLOSED_CHECKPOINT;
  readonly eventTypes = new Set(['AccountClosed']);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly readStore: ReadStore,
    private readonly projections: ProjectionRunner,
    private readonly options: AccountClosedOptions,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const cause = { causationId: event.id, correlationId: event.metadata.correlationId };
    if (event.type !== 'AccountClosed') return;
    const { citizenRef, closedAt } = event.data as AccountClosed['data'];
    for (const messageId of await this.pendingRegisteredOf(citizenRef, event.position)) {
      await this.fallBack(messageId, closedAt, cause);
    }
  }

  private async pendingRegisteredOf(citizenRef: string, closedAtPosition: bigint): Promise<string[]> {
    if (!(await this.projections.waitFor(closedAtPosition, this.options.projectionWaitMs))) {
      // Thrown, not skipped: the reactor resumes from its checkpoint and looks again.
      throw new Error(`the messages read model has not reached position ${closedAtPosition} yet`);
    }
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: MessageDoc[]; next: string | null } = await this.readStore.find<MessageDoc>(Collections.messages, {
        // Not only the inbox: a scheduled message not yet published goes to paper too (printed at publication).
        where: { citizenRef },
        orderBy: [{ field: 'sentAt', direction: 'asc' }],
        limit: PAGE_SIZE,
        cursor,
      });
      // Only what was sent before the closing: a message sent after a reopening is not this closing's business.
      found.push(...page.items.filter((doc) => sentBefore(doc, closedAtPosition) && isPendingRegistered(doc.state)).map((doc) => doc.id));
      cursor = page.next;
    } while (cursor !== null);
    return found;
  }

  /** The decider has the last word: a message acknowledged or fallen back meanwhile records nothing. */
  private async fallBack(messageId: string, at: string, cause: { causationId: string; correlationId: string }): Promise<void> {
    const command: FallBackToPaper = { type: 'FallBackToPaper', messageId, reason: 'account-closed', at };
    await this.executor.execute(
      messageStream(messageId),
      messageDecider,
      command,
      systemContext('account-closed', deterministicUuid('account-closed-fallback', messageId), cause),
    );
  }
}
