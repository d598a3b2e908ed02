import type { Runtime } from '../runtime/runtime';
import { ACCOUNT_CLOSED_CHECKPOINT, AccountClosedManager } from './account-closed.manager';
import { ARRIVAL_CHECKPOINT, ArrivalNotificationManager } from './arrival-notification.manager';
import { DEADLINE_MANAGER, DeadlineProcessManager } from './deadline-process-manager';
import { EventReactor } from './event-reactor';
import { PRINT_HAND_OFF_CHECKPOINT, PrintHandOffManager } from './print-hand-off.manager';
import { ReminderDispatcher } from './reminder-dispatch';
import { ROUTE_CHECK_CHECKPOINT, RouteCheckManager } from './route-check';

/** The reactors' checkpoints in the read store: a rebuild carries them into the new generation. */
export const PROCESS_MANAGER_CHECKPOINTS: readonly string[] = [PRINT_HAND_OFF_CHECKPOINT, ACCOUNT_CLOSED_CHECKPOINT, ARRIVAL_CHECKPOINT, ROUTE_CHECK_CHECKPOINT];

/** How long the account-closed manager waits for the read models to include a closing. */
const PROJECTION_WAIT_MS = 30_000;

export interface ProcessManagers {
  readonly deadlines: DeadlineProcessManager;
  readonly reactors: readonly EventReactor[];
  stop(): Promise<void>;
}

/**
 * The legal-time process managers of one worker: the deadline ticker and the four reactors
 * (route check, print hand-off, account closing, arrival notice), each following the log from its own
 * checkpoint. Expects the runtime's projections to be running (the deadline schedule and the
 * messages read model come from them).
 */
export async function startProcessManagers(runtime: Runtime): Promise<ProcessManagers> {
  const { executor, events, clock, config } = runtime;
  // Their writes (checkpoints, the deadline schedule) are fenced by the worker lease.
  const readStore = runtime.workerStore;
  const ensureActive = () => void runtime.fencing.fence();
  const reminders = new ReminderDispatcher(executor, runtime.notifier, runtime.personalData);
  const supervision = { portsReachable: runtime.portsReachable, observer: runtime.followers, ensureActive };
  const reactors = [
    new EventReactor(events, readStore, new RouteCheckManager(runtime.routeCheck, () => clock.now().toISOString()), supervision),
    new EventReactor(events, readStore, new PrintHandOffManager(executor, runtime.printChannel, clock), supervision),
    new EventReactor(events, readStore, new AccountClosedManager(executor, readStore, runtime.projections, { projectionWaitMs: PROJECTION_WAIT_MS }), supervision),
    new EventReactor(events, readStore, new ArrivalNotificationManager(reminders, clock, runtime.routeCheck), supervision),
  ];
  const deadlines = new DeadlineProcessManager(executor, readStore, reminders, clock, { intervalMs: config.deadlineIntervalMs, observer: runtime.followers, ensureActive }, runtime.routeCheck);
  for (const reactor of reactors) {
    runtime.followers.register(reactor.name, reactor);
    runtime.metrics.watchProjection(reactor.name, reactor);
  }
  runtime.followers.register(DEADLINE_MANAGER, deadlines);
  const started: EventReactor[] = [];
  try {
    for (const reactor of reactors) {
      await reactor.start();
      started.push(reactor);
    }
  } catch (error) {
    for (const reactor of started) await reactor.stop();
    throw error;
  }
  deadlines.start();
  return {
    deadlines,
    reactors,
    async stop() {
      await deadlines.stop();
      for (const reactor of reactors) await reactor.stop();
    },
  };
}
