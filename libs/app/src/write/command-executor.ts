import {
  ConcurrencyError,
  GENESIS_HASH,
  deterministicUuid,
  eventHash,
  type Actor,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
} from '@asiointitili/core';
import { EVENT_SCHEMA_VERSIONS, type Decider, type DomainEvent } from '@asiointitili/domain';
import { performance } from 'node:perf_hooks';
import { NO_COMMAND_OBSERVER, type CommandObserver, type CommandOutcome } from './command-observer';
import { ContentionError, DomainRejection } from './domain-rejection';

/** Who asked, and which request chain this command belongs to. */
export interface CommandContext {
  readonly actor: Actor;
  /** Idempotency root of this command: the same value on a retry derives the same event ids. */
  readonly commandId: string;
  readonly correlationId: string;
  /** The event or request that caused this command (for a process manager: the triggering event's id). */
  readonly causationId: string;
}

export interface Execution<S> {
  /** State after the command (unchanged when the decision produced no events). */
  readonly state: S;
  readonly appended: readonly RecordedEvent[];
  /** Global position of the last appended event, when something was appended. */
  readonly position?: bigint;
}

/** How many times a command is re-decided after losing a concurrency race before giving up. */
export const MAX_COMMAND_ATTEMPTS = 5;

export interface ExecuteOptions {
  /**
   * The stream is expected not to exist yet (a new message with a fresh id): the first attempt
   * decides on the initial state without reading the stream and appends with `no-stream`. If the
   * stream does exist, that append fails with a concurrency conflict and the next attempt reads
   * the stream and decides as usual, so the outcome is the same; what a send saves is the read
   * of an empty stream (15–35 µs of SQLite and a promise on the embedded store).
   */
  readonly expectNewStream?: boolean;
}

/**
 * The one generic command handler: load the stream, fold it, decide, seal the new events into the
 * stream's hash chain, append with the expected revision, and on a concurrency conflict start
 * over (bounded). Every write in the system goes through here.
 */
export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    /** Metrics: every command's type, outcome and duration, and every append's latency. */
    private readonly observer: CommandObserver = NO_COMMAND_OBSERVER,
  ) {}

  async execute<C extends { readonly at: string }, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: ExecuteOptions = {},
  ): Promise<Execution<S>> {
    const started = performance.now();
    const type = commandType(command);
    try {
      const execution = await this.decideAndAppend(stream, decider, command, context, options.expectNewStream === true);
      this.observer.commandFinished(type, execution.appended.length > 0 ? 'appended' : 'unchanged', secondsSince(started));
      return execution;
    } catch (error) {
      this.observer.commandFinished(type, outcomeOf(error), secondsSince(started));
      throw error;
    }
  }

  private async decideAndAppend<C extends { readonly at: string }, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    expectNewStream: boolean,
  ): Promise<Execution<S>> {
    for (let attempt = 1; attempt <= MAX_COMMAND_ATTEMPTS; attempt++) {
      const history = expectNewStream && attempt === 1 ? [] : await this.store.readStream(stream);
      const state = foldStream(decider, history);
      const decision = decider.decide(command, state);
      if (!decision.ok) throw new DomainRejection(decision.error);
      if (decision.events.length === 0) return { state, appended: [] };

      const last = history[history.length - 1];
      const sealed = seal(stream, last, decision.events, command.at, context);
      const expected: ExpectedRevision = last ? last.revision : 'no-stream';
      try {
        const result = await this.timedAppend(stream, sealed, expected);
        const firstRevision = last ? last.revision + 1n : 0n;
        const firstPosition = result.position - BigInt(sealed.length - 1);
        const appended = sealed.map((event, i) => ({
          ...event,
          stream,
          revision: firstRevision + BigInt(i),
          // Positions of a batch are contiguous in the embedded log; EventStoreDB's are not, and
          // nothing but `position` (the last one) is used by callers.
          position: i === sealed.length - 1 ? result.position : firstPosition + BigInt(i),
        }));
        const next = decision.events.reduce(decider.evolve, state);
        return { state: next, appended, position: result.position };
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
    }
    throw new ContentionError(stream, MAX_COMMAND_ATTEMPTS);
  }

  private async timedAppend(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision) {
    const started = performance.now();
    try {
      return await this.store.append(stream, events, expected);
    } finally {
      this.observer.appended(secondsSince(started));
    }
  }

  /** Folds a stream without deciding anything (queries that need the authoritative state). */
  async load<E extends DomainEvent, S>(stream: string, decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>): Promise<{ state: S; events: RecordedEvent[] }> {
    const events = await this.store.readStream(stream);
    return { state: foldStream(decider, events), events };
  }
}

function commandType(command: object): string {
  const type = (command as { readonly type?: unknown }).type;
  return typeof type === 'string' ? type : 'unknown';
}

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof DomainRejection) return 'rejected';
  if (error instanceof ContentionError) return 'contention';
  return 'failed';
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Folds stored events with an aggregate's own `evolve`: the one fold of the write side and its queries. */
function foldStream<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly RecordedEvent[]): S {
  return events.reduce((state, event) => decider.evolve(state, toDomainEvent<E>(event)), decider.initialState);
}

/** A stored event as the domain's discriminated union (stored events are plain JSON). */
export function toDomainEvent<E extends DomainEvent>(event: Pick<RecordedEvent, 'type' | 'data'>): E {
  return { type: event.type, data: event.data } as unknown as E;
}

function seal(
  stream: string,
  last: RecordedEvent | undefined,
  events: readonly DomainEvent[],
  occurredAt: string,
  context: CommandContext,
): EventToAppend[] {
  let prevHash = last ? last.metadata.hash : GENESIS_HASH;
  let revision = last ? last.revision + 1n : 0n;
  return events.map((event) => {
    const id = deterministicUuid(context.commandId, stream, revision.toString());
    const unsealed: Omit<EventMetadata, 'hash'> = {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      occurredAt,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
      prevHash,
    };
    const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>; // drop undefined members
    const hash = eventHash({ stream, revision, id, type: event.type, data, metadata: unsealed });
    const sealed: EventToAppend = { id, type: event.type, data, metadata: { ...unsealed, hash } };
    prevHash = hash;
    revision += 1n;
    return sealed;
  });
}
