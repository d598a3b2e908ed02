import type { EventStore } from '@asiointitili/core';

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
