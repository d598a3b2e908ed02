import type { RecordedEvent } from '@asiointitili/core';

/**
 * A failure while handling one event (applying it to a read model, reacting to it), as opposed
 * to one of the store calls around it (reading the log, writing the checkpoint). Only such a
 * failure can make an event "poison"; see SupervisedSubscription for when it does.
 */
export class EventFailure extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(`${event.type} at position ${event.position} (stream ${event.stream}, event ${event.id}): ${describeError(cause)}`);
    this.name = 'EventFailure';
  }
}

/**
 * Node's system error codes (ECONNREFUSED, ETIMEDOUT, ENOSPC, EAI_AGAIN, ...) and SQLite's
 * busy/locked/I-O ones. Not Node's own ERR_* codes: those are programming errors (ERR_INVALID_ARG_TYPE).
 */
const TRANSIENT_CODE = /^((?!ERR_)E[A-Z0-9_]+|SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)\w*)$/;
/** PostgreSQL SQLSTATE classes: connection exception, insufficient resources, operator intervention (shutdown). */
const TRANSIENT_SQLSTATE = /^(08|53|57P)/;
/** The MongoDB driver's and the EventStoreDB client's names for a server that is gone, busy or being failed over. */
const TRANSIENT_NAME =
  /^(Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|TopologyClosed|Timeout|WriteConcern|ServerClosed|PoolCleared)\w*|PoolCleared\w*|PoolClosed\w*|ConnectionPoolClosed\w*|Unavailable\w*|NotLeader\w*|DeadlineExceeded\w*|Cancelled\w*|ContentionError)$/;
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'NoWritesPerformed'];
/**
 * The pg driver reports a connection lost mid-query or a connect timeout as a plain Error with
 * neither a code nor a name of its own; its message is the only sign (pg/lib/client.js).
 */
const PG_CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

/**
 * Whether an error says "a store or a network is unavailable right now" rather than "this input
 * cannot be handled". Unrecognised errors count as not transient, but a follower still retries
 * them: this only decides whether repeated failures of one event may be judged poison at all.
 */
export function isTransient(error: unknown): boolean {
  for (let current = error, depth = 0; current !== null && current !== undefined && depth < 8; depth += 1) {
    if (typeof current !== 'object') return false;
    const e = current as { name?: unknown; code?: unknown; hasErrorLabel?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && (TRANSIENT_CODE.test(e.code) || TRANSIENT_SQLSTATE.test(e.code))) return true;
    const name = current instanceof Error ? current.constructor.name : undefined;
    if ((typeof e.name === 'string' && TRANSIENT_NAME.test(e.name)) || (name && TRANSIENT_NAME.test(name))) return true;
    if (current instanceof Error && current.constructor === Error && PG_CONNECTION_LOST.test(current.message)) return true;
    if (typeof e.hasErrorLabel === 'function') {
      const hasLabel = e.hasErrorLabel as (label: string) => boolean;
      if (TRANSIENT_LABELS.some((label) => hasLabel.call(current, label))) return true;
    }
    current = e.cause;
  }
  return false;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A write refused because another worker holds the lease (FencedOffError from the store, LeaseLostError from this process's own clock). */
export function isFencedOff(error: unknown): boolean {
  const cause = error instanceof EventFailure ? error.cause : error;
  return cause instanceof Error && (cause.name === 'FencedOffError' || cause.name === 'LeaseLostError');
}
