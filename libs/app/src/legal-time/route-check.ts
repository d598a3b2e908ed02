import { deterministicUuid, type RecordedEvent } from '@asiointitili/core';
import {
  accountDecider,
  accountStream,
  canReceiveElectronically,
  isOnPaper,
  messageDecider,
  messageStream,
  type AccountEvent,
  type AccountState,
  type DeliveryPolicy,
  type MessageSent,
  type RecipientStatus,
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
 *
 * Scheduled publishing adds a second point: a message sent with publishAt reaches the account only
 * at its publication, so the rule must also hold there (the person may have closed the account,
 * revoked the consent or chosen paper in between). "At publication" is the MessagePublished's
 * global position, for the same reasons as the recording point and one more:
 *
 * - not the MessageSent's position: a choice made after the sending but before the message
 *   reached the account is the person's last word before delivery, and must count;
 * - not publishAt as a wall-clock instant against the account events' times: those times come
 *   from the clocks of whichever processes recorded them, while positions are one total order on
 *   every adapter; and until MessagePublished is recorded nothing of the message is in the account
 *   (no inbox entry, no opening, no clock), so a choice recorded before it did come before the
 *   delivery — paper is always a lawful delivery, so honouring it never serves against the rule;
 * - a choice recorded after the MessagePublished concerns later messages only, as for a message
 *   sent without publishAt.
 *
 * The deadline manager decides the publication on the account as it stands when it publishes
 * (`recipientAtPublication`: every account event it can read then is below the position its append
 * will get), and PublishMessage sends the message to paper in the same append when the rule no
 * longer holds. A closing, revocation or paper choice appended between that read and the append is
 * the same race as at sending, closed the same way: `verify` folds the account up to the
 * MessagePublished's position too and reroutes with VerifyRoute, before anything serves or notifies.
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
    const sent = events[0] as RecordedEvent;
    const atRecording = await this.verifyRecorded(sent, at, cause);
    const published = events.find((event) => event.type === 'MessagePublished');
    if (atRecording !== 'electronic' || published === undefined) return atRecording;
    return this.verifyPublished(sent.data as MessageSent['data'], published, at, cause);
  }

  /**
   * The routing rule at a scheduled message's publication, for PublishMessage: the account as it
   * stands now, at publishAt (a paper choice counts while it is in force then). Undefined: no such message.
   */
  async recipientAtPublication(messageId: string): Promise<RecipientStatus | undefined> {
    const { state } = await this.executor.load(messageStream(messageId), messageDecider);
    if (!state.exists) return undefined;
    const sent = state.message;
    const { state: account } = await this.executor.load(accountStream(sent.citizenRef), accountDecider);
    return canReceiveElectronically(account, sent.agencyId, this.policy, sent.publishAt ?? sent.sentAt);
  }

  /**
   * The same check from the MessageSent as the log delivered it (the reactors have it in hand):
   * when the route held, as it almost always does, this costs one read of the account stream.
   */
  async verifyRecorded(sent: RecordedEvent, at: string, cause: Cause): Promise<RouteCheckOutcome> {
    const data = sent.data as MessageSent['data'];
    if (data.route !== 'electronic') return 'paper';
    return this.holdsAt(data, sent.position, data.sentAt, deterministicUuid('route-check', data.messageId), at, cause);
  }

  /** The check at the MessagePublished's position (see above), at publishAt; its own command id, recorded once. */
  private verifyPublished(data: MessageSent['data'], published: RecordedEvent, at: string, cause: Cause): Promise<RouteCheckOutcome> {
    return this.holdsAt(data, published.position, data.publishAt ?? data.sentAt, deterministicUuid('route-check-publication', data.messageId), at, cause);
  }

  /** Folds the account up to (not including) `position` and sends the message to paper when the rule did not hold there. */
  private async holdsAt(data: MessageSent['data'], position: bigint, asOf: string, commandId: string, at: string, cause: Cause): Promise<RouteCheckOutcome> {
    const { events: accountEvents } = await this.executor.load(accountStream(data.citizenRef), accountDecider);
    const asThen = accountEvents
      .filter((event) => event.position < position)
      .reduce<AccountState>((account, event) => accountDecider.evolve(account, toDomainEvent<AccountEvent>(event)), accountDecider.initialState);
    const recipientAtRecording = canReceiveElectronically(asThen, data.agencyId, this.policy, asOf);
    if (recipientAtRecording.electronic) return 'electronic';
    const command: VerifyRoute = { type: 'VerifyRoute', messageId: data.messageId, recipientAtRecording, at };
    const context: CommandContext = systemContext('route-check', commandId, cause);
    const execution = await this.executor.execute(messageStream(data.messageId), messageDecider, command, context);
    return execution.state.exists && isOnPaper(execution.state) ? 'paper' : 'electronic';
  }
}

/** Checks every electronic MessageSent, and every MessagePublished, as soon as the log delivers it (the prompt path; see RouteCheck). */
export class RouteCheckManager implements Reaction {
  readonly name = ROUTE_CHECK_CHECKPOINT;
  readonly eventTypes = new Set(['MessageSent', 'MessagePublished']);

  constructor(
    private readonly check: RouteCheck,
    private readonly now: () => string,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const cause = { causationId: event.id, correlationId: event.metadata.correlationId };
    if (event.type === 'MessageSent') await this.check.verifyRecorded(event, this.now(), cause);
    else await this.check.verify(String(event.data.messageId), this.now(), cause);
  }
}
