import type { Doc, EventStore, ReadStore } from '@asiointitili/core';
import { Collections } from './collections';

/**
 * The event log ends before a position that a follower of the log (the read models, a process
 * manager) has already processed: committed events are gone. It happens when the log is restored
 * from an older backup than the read store, or when a damaged tail was cut off at start-up.
 * Serving on would be silent damage: the read models would show messages the log no longer has,
 * and new events would reuse the lost positions, which the follower skips as already seen.
 */
export class LogBehindCheckpointError extends Error {
  constructor(
    readonly checkpointName: string,
    readonly checkpoint: bigint,
    readonly head: bigint | null,
  ) {
    super(
      `the event log ends at position ${head === null ? 'none (empty)' : head.toString()} but checkpoint "${checkpointName}" is at ` +
        `${checkpoint.toString()}: the log has lost committed events. Refusing to start. Restore the event log from a backup that ` +
        'reaches that position, or accept the loss and rebuild the read models from the log (npm run cli -- projections rebuild).',
    );
    this.name = 'LogBehindCheckpointError';
  }
}

/** Throws LogBehindCheckpointError when `checkpoint` lies beyond the head of the log. */
export async function assertLogReaches(events: EventStore, checkpointName: string, checkpoint: bigint | null): Promise<void> {
  if (checkpoint === null) return;
  const head = await events.headPosition();
  if (head === null || head < checkpoint) throw new LogBehindCheckpointError(checkpointName, checkpoint, head);
}

/**
 * The read store holds read models and checkpoints built from another event log than the one
 * configured: a read store pointed at the wrong deployment, or a log restored or recreated from
 * scratch. Positions of one log mean nothing in another, so following on would skip or misapply
 * events without any error.
 */
export class OtherEventLogError extends Error {
  constructor(
    readonly recorded: string,
    readonly actual: string,
  ) {
    super(
      `the read store's read models and checkpoints were built from event log ${recorded}, but the configured event log is ${actual}. ` +
        'Refusing to start. Point MONGODB_URL/DATA_DIR and EVENTSTORE_URL at the same deployment, or rebuild the read models ' +
        'from this log (npm run cli -- projections rebuild).',
    );
    this.name = 'OtherEventLogError';
  }
}

const LOG_IDENTITY_ID = 'event-log';

interface LogIdentityDoc extends Doc {
  readonly logIdentity: string;
}

/**
 * Binds a read store to the event log it follows: records the log's identity beside the
 * checkpoints the first time (a read store from before identities were kept is bound to the log it
 * now runs with), and afterwards throws OtherEventLogError when the configured log is another one.
 */
export async function bindReadStoreToLog(events: EventStore, store: ReadStore): Promise<void> {
  const actual = await events.identity();
  const recorded = await store.get<LogIdentityDoc>(Collections.logIdentity, LOG_IDENTITY_ID);
  if (recorded && recorded.logIdentity !== actual) throw new OtherEventLogError(recorded.logIdentity, actual);
  if (!recorded) await recordLogIdentity(store, actual);
}

/** Whether the read store was built from this log; one without a record (older than identities) counts as this log's, as in bindReadStoreToLog. */
export async function readStoreFollowsLog(events: EventStore, store: ReadStore): Promise<boolean> {
  const recorded = await store.get<LogIdentityDoc>(Collections.logIdentity, LOG_IDENTITY_ID);
  return !recorded || recorded.logIdentity === (await events.identity());
}

/** Records (or replaces, after a rebuild from this log) the identity of the log the store follows. */
export async function recordLogIdentity(store: ReadStore, logIdentity: string): Promise<void> {
  const doc: LogIdentityDoc = { id: LOG_IDENTITY_ID, logIdentity };
  await store.write([{ op: 'put', collection: Collections.logIdentity, doc }]);
}
