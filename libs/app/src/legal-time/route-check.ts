import { deterministicUuid, type RecordedEvent } from '@asiointitili/core';
import {
  accountDecider,
  accountStream,
  canReceiveElectronically,
  isOnPaper,
  messageDecider,
  messageStream,
  type AccountEvent,
  type DeliveryPolicy,
  type MessageSent,
  type VerifyRoute,
} from '@asiointitili/domain';
import { toDomainEvent, type CommandContext, type CommandExecutor } from '../write/command-executor';
import type { Reaction } from './event-reactor';
import { systemContext } from './system-context';

export const ROUTE_CHECK_CHECKPOINT = 'pm:route-check';

type Cause = { readonly causationId: string; readonly correlationId: string };

/** What the check found: the message stays electronic, or it is (now) on paper; `missing`: no such message. */
export type RouteCheckOutcome = 'electronic' | 'paper' | 'missing';

/**
 * The routing rule under concurrency: a message is delivered electronically only if the account
 * was open with consent (or the digital-by-default rule held) at the point the message was
 * recorded.
 *
 * Sending reads the account stream and then appends the message to its own stream; nothing ties
 * the two appends together, and a closing, a consent revocation or a paper choice can be recorded
 * in between (measured: up to 85 ms). A reservation on the account stream would serialise every
 * send to a person behind one stream and needs a multi-stream transaction that EventStoreDB does
 * not have. Instead the rule is checked afterwards against the log itself, which works the same on
 * every event store:
 *
 * - "the point the message was recorded" is the MessageSent's global position. The account as of
 *   that point is the fold of the account stream's events whose position is lower. (Every adapter
 *   gives a total order of positions, and the check runs on a message some follower already
 *   received — the reactor below, or a deadline derived by a projection — so every event before
 *   it in the log is readable: none can appear later below it.)
 * - canReceiveElectronically on that state gives the answer the sender should have had; the
 *   message decider's VerifyRoute turns a paper answer into PaperFallbackTriggered with the
 *   reason (account-closed, no-consent, opted-out-to-paper), ordinary and registered alike.
 * - It runs before anything can serve or notify: the route-check reactor on every electronic
 *   MessageSent (normally within milliseconds), and again, inline, before each deadline fires
 *   (deemed service, reminders, the 7-day fallback), before the arrival notice and before an
 *   acknowledgement is accepted. So whichever follower comes first, none acts on an unchecked
 *   message; each check is idempotent (one deterministic command id per message, and the decider
 *   records nothing once the message is on paper).
 *
 * A message on paper never becomes electronic again, so a reopening or a later consent cannot
 * undo a correction. The policy is the process's CONSENT_POLICY, the same one sending used.
 */
export class RouteCheck {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly policy: DeliveryPolicy,
  ) {}

  async verify(messageId: string, at: string, cause: Cause): Promise<RouteCheckOutcome> {
    const { state, events } = await this.executor.load(messageStream(messageId), messageDecider);
    if (!state.exists) return 'missing';
    if (isOnPaper(state)) return 'paper';
    return this.verifyRecorded(events[0] as RecordedEvent, at, cause);
  }

  /**
   * The same check from the MessageSent as the log delivered it (the reactors have it in hand):
   * when the route held, as it almost always does, this costs one read of the account stream.
   */
  async verifyRecorded(sent: RecordedEvent, at: string, cause: Cause): Promise<RouteCheckOutcome> {
    const data = sent.data as MessageSent['data'];
    if (data.route !== 'electronic') return 'paper';
    const { events: accountEvents } = await this.executor.load(accountStream(data.citizenRef), accountDecider);
    const asRecorded = accountEvents
      .filter((event) => event.position < sent.position)
      .reduce((account, event) => accountDecider.evolve(account, toDomainEvent<AccountEvent>(event)), accountDecider.initialState);
    const recipientAtRecording = canReceiveElectronically(asRecorded, data.agencyId, this.policy, data.sentAt);
    if (recipientAtRecording.electronic) return 'electronic';
    const command: VerifyRoute = { type: 'VerifyRoute', messageId: data.messageId, recipientAtRecording, at };
    const context: CommandContext = systemContext('route-check', deterministicUuid('route-check', data.messageId), cause);
    const execution = await this.executor.execute(messageStream(data.messageId), messageDecider, command, context);
    return execution.state.exists && isOnPaper(execution.state) ? 'paper' : 'electronic';
  }
}

/** Checks every electronic MessageSent as soon as the log delivers it (the prompt path; see RouteCheck). */
export class RouteCheckManager implements Reaction {
  readonly name = ROUTE_CHECK_CHECKPOINT;
  readonly eventTypes = new Set(['MessageSent']);

  constructor(
    private readonly check: RouteCheck,
    private readonly now: () => string,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    await this.check.verifyRecorded(event, this.now(), { causationId: event.id, correlationId: event.metadata.correlationId });
  }
}
