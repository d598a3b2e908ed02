/**
 * How a command ended: events appended; nothing to append (an idempotent repeat); refused by the
 * domain; lost every concurrency race; or failed otherwise (a store down).
 */
export type CommandOutcome = 'appended' | 'unchanged' | 'rejected' | 'contention' | 'failed';

/** What the command executor reports, for metrics. Implementations must be cheap and never throw. */
export interface CommandObserver {
  commandFinished(type: string, outcome: CommandOutcome, seconds: number): void;
  appended(seconds: number): void;
}

export const NO_COMMAND_OBSERVER: CommandObserver = {
  commandFinished() {},
  appended() {},
};
