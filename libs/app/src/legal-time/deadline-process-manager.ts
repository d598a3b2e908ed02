import { Logger } from '@nestjs/common';
import { deterministicUuid, type Clock, type ReadStore } from '@asiointitili/core';
import { assertNever, messageDecider, messageStream, type FallBackToPaper, type MarkDeemedServed, type MarkReplyOverdue, type MessageCommand, type PublishMessage } from '@asiointitili/domain';
import { backOffDelay } from '../followers/back-off';
import { describeError } from '../followers/failures';
import type { FollowerObserver, FollowerState, FollowerStatus, StatusSource } from '../followers/follower-status';
import { Collections } from '../read/projections/collections';
import type { CommandContext, CommandExecutor } from '../write/command-executor';
import { DomainRejection } from '../write/domain-rejection';
import type { DeadlineDoc } from './deadlines.projection';
import type { ReminderDispatcher } from './reminder-dispatch';
import type { RouteCheck } from './route-check';
import { systemContext } from './system-context';

/** Due deadlines are read in pages of this size (a restart after a long downtime may find many). */
const PAGE_SIZE = 100;

/** What became of one due deadline in a tick. */
export type DeadlineOutcome =
  /** The domain recorded the event (MessageDeemedServed, ReminderSent, PaperFallbackTriggered). */
  | 'recorded'
  /** The domain had nothing to record: already recorded (a retry) or moot (read, acknowledged, on paper). */
  | 'nothing-to-record'
  /** A reminder for a person with no email or phone (or a closed account): the domain has no reminder without a channel. */
  | 'no-contact-channel'
  /** A reminder whose every address was refused for good: nothing went out, nothing is recorded, settled. */
  | 'undeliverable'
  /** The domain refused for good (e.g. the message does not exist): logged and settled so it is not retried forever. */
  | 'refused'
  /** Not yet due in the domain's eyes (a clock behind the one that scheduled it): left pending for the next tick. */
  | 'not-yet-due';

export interface FiredDeadline {
  readonly id: string;
  readonly outcome: DeadlineOutcome;
}

export interface DeadlineProcessManagerOptions {
  readonly intervalMs: number;
  readonly observer?: FollowerObserver;
  /** Throws when this process may no longer act (it lost the worker lease): checked before each deadline fires. */
  readonly ensureActive?: () => void;
}

/** Name of the deadline ticker in logs, metrics and readiness. */
export const DEADLINE_MANAGER = 'deadline-manager';

/**
 * Turns time into events. Every `intervalMs` it reads the pending deadlines due by the Clock
 * port's now (the schedule is the `deadlines` read model, derived from the log) and issues the
 * domain command for each: PublishMessage, MarkDeemedServed, SendReminder (after notifying the
 * person), or FallBackToPaper('unacknowledged-7-days'). A publication is due before every other
 * deadline of its message, so the scan (oldest first) records it first.
 *
 * Exactly once, by construction rather than by locking:
 * - the command id is derived from the deadline id, so a repeated append carries the same event ids;
 * - the decider records a repeat as nothing (already deemed served, already reminded, already on
 *   paper, or acknowledged first), so a crash after the append but before the schedule was
 *   updated re-fires harmlessly;
 * - the deadline is marked done here too (the projection would, once it sees the event), so it is
 *   not fired again while the projection catches up; moot stays moot, so marking it is safe.
 * Deadlines that passed while the process was down are simply due at the first tick. A tick that
 * fails (a store down) is retried with capped exponential back-off and jitter instead of the
 * interval, without end; the next successful tick fires everything that became due meanwhile.
 *
 * Before any deadline of a message fires, its route is checked (RouteCheck): a message recorded
 * after its account closed or its consent was revoked goes to paper first, and the deadline is
 * then moot — it is never deemed served, reminded or fallen back as if electronic. A publication
 * checks the route once more on the account as it stands then: a recipient who left electronic
 * delivery since the sending gets the message on paper, and its other deadlines are moot.
 */
export class DeadlineProcessManager implements StatusSource {
  private readonly logger = new Logger(DEADLINE_MANAGER);
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<unknown> = Promise.resolve();
  private state: FollowerState = 'starting';
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly readStore: ReadStore,
    private readonly reminders: ReminderDispatcher,
    private readonly clock: Clock,
    private readonly options: DeadlineProcessManagerOptions,
    private readonly routeCheck: RouteCheck,
  ) {}

  /** Ticks at once (deadlines that passed while down fire now), then every `intervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.state = 'running';
    this.schedule(0);
  }

  /** Stops ticking; resolves once a tick in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current.catch(() => undefined);
    this.state = 'stopped';
  }

  /** Fires every pending deadline due at the clock's now, oldest first. */
  async tick(): Promise<readonly FiredDeadline[]> {
    const now = this.clock.now().toISOString();
    const fired: FiredDeadline[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: DeadlineDoc[]; next: string | null } = await this.readStore.find<DeadlineDoc>(Collections.deadlines, {
        where: { status: 'pending' },
        orderBy: [{ field: 'dueAt', direction: 'asc' }],
        limit: PAGE_SIZE,
        cursor,
      });
      for (const deadline of page.items) {
        // The port has no range filter: the order is by dueAt, so the first one not yet due ends the scan.
        if (deadline.dueAt > now) return fired;
        fired.push({ id: deadline.id, outcome: await this.fire(deadline, now) });
      }
      cursor = page.next;
    } while (cursor !== null);
    return fired;
  }

  status(): FollowerStatus {
    return { name: DEADLINE_MANAGER, state: this.state, position: null, consecutiveFailures: this.failures, lastError: this.lastError, poison: null };
  }

  /** Marks the ticker as standing by for the active worker (only while it is not running). */
  standBy(): void {
    if (!this.running) this.state = 'standby';
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.tick().then(
        () => {
          if (this.failures > 0) this.logger.log(`ticking again after ${this.failures} failed tick(s)`);
          this.failures = 0;
          this.lastError = null;
          if (this.running) this.state = 'running';
          if (this.running) this.schedule(this.options.intervalMs);
        },
        (error: unknown) => {
          this.failures += 1;
          this.lastError = describeError(error);
          this.options.observer?.followerRetried(DEADLINE_MANAGER);
          if (this.failures === 1 || this.failures % 10 === 0) this.logger.error(`tick failed (${this.failures} in a row), retrying with back-off: ${this.lastError}`);
          if (this.running) this.state = 'retrying';
          if (this.running) this.schedule(Math.max(this.options.intervalMs, backOffDelay(this.failures)));
        },
      );
    }, delayMs);
  }

  private async fire(deadline: DeadlineDoc, now: string): Promise<DeadlineOutcome> {
    this.options.ensureActive?.();
    const context = systemContext('deadline-manager', deterministicUuid('deadline', deadline.id), deadline);
    let outcome: DeadlineOutcome;
    try {
      await this.routeCheck.verify(deadline.messageId, now, context);
      outcome = await this.issue(deadline, now, context);
      if (outcome === 'not-yet-due') return outcome;
    } catch (error) {
      if (!(error instanceof DomainRejection)) throw error; // infrastructure: the next tick retries
      if (error.error.code === 'not-yet-due') return 'not-yet-due';
      this.logger.warn(`${deadline.id}: refused by the domain (${error.error.code}): ${error.message}`);
      outcome = 'refused';
    }
    await this.markDone(deadline, outcome);
    return outcome;
  }

  private async issue(deadline: DeadlineDoc, at: string, context: CommandContext): Promise<DeadlineOutcome> {
    const { messageId } = deadline;
    switch (deadline.kind) {
      case 'publish': {
        // The routing rule again, at publication: the account as it stands now (RouteCheck explains the position).
        const recipientAtPublication = await this.routeCheck.recipientAtPublication(messageId);
        if (recipientAtPublication === undefined) {
          this.logger.warn(`${deadline.id}: no message ${messageId} to publish`);
          return 'refused';
        }
        const command: PublishMessage = { type: 'PublishMessage', messageId, recipientAtPublication, at };
        return this.execute(messageId, command, context);
      }
      case 'deemed-served': {
        const command: MarkDeemedServed = { type: 'MarkDeemedServed', messageId, at };
        return this.execute(messageId, command, context);
      }
      case 'paper-fallback': {
        const command: FallBackToPaper = { type: 'FallBackToPaper', messageId, reason: 'unacknowledged-7-days', at };
        return this.execute(messageId, command, context);
      }
      case 'registered-reminder':
        return (await this.reminders.remind(messageId, 'unread-registered-3-days', at, context)).outcome;
      case 'ordinary-reminder':
        return (await this.reminders.remind(messageId, 'unread-ordinary-7-days', at, context)).outcome;
      case 'reply-reminder':
        return (await this.reminders.remind(messageId, 'reply-by', at, context)).outcome;
      case 'reply-overdue': {
        const command: MarkReplyOverdue = { type: 'MarkReplyOverdue', messageId, at };
        return this.execute(messageId, command, context);
      }
      default:
        return assertNever(deadline.kind);
    }
  }

  private async execute(messageId: string, command: MessageCommand, context: CommandContext): Promise<DeadlineOutcome> {
    const execution = await this.executor.execute(messageStream(messageId), messageDecider, command, context);
    return execution.appended.length > 0 ? 'recorded' : 'nothing-to-record';
  }

  /**
   * Written beside the projection's own writes. The projection only ever writes a deadline
   * pending when its MessageSent is first applied, so it cannot undo this (a rebuild from zero
   * can: the deadline then fires once more, and the domain records nothing again).
   */
  private async markDone(deadline: DeadlineDoc, settledBy: string): Promise<void> {
    const done: DeadlineDoc = { ...deadline, status: 'done', settledBy };
    await this.readStore.write([{ op: 'put', collection: Collections.deadlines, doc: done }]);
  }
}
