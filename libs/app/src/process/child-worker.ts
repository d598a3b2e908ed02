import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { EVENTS_FILE_NAME, onEmbeddedCommit, signalEmbeddedCommit } from '@asiointitili/event-store';

/** The message a parent sends its worker after each commit to the embedded log. */
const COMMIT_MESSAGE = 'events-committed';
/** The message a worker sends its parent once it follows the log (or stands by for the lease). */
const RUNNING_MESSAGE = 'worker-running';
/** Longest the API waits at start for its worker before listening anyway. */
const READY_TIMEOUT_MS = 120_000;
/** Restart delays after the worker exits unexpectedly: doubling from 1 s, at most 30 s. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long without exiting is healthy again: the delay starts over. */
const STABLE_AFTER_MS = 60_000;
/** How long stop() waits for the worker to drain before killing it. */
const STOP_TIMEOUT_MS = 10_000;

export interface ChildWorker {
  /** The running worker's process id (null between a crash and its restart). */
  pid(): number | null;
  /**
   * Resolves once the first worker follows the log (or stands by for another's lease), so that
   * the API answers only when its writes reach the read models, as with the worker in-process;
   * after READY_TIMEOUT_MS it resolves anyway (the worker keeps starting, and says why not).
   */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface ChildWorkerOptions {
  /** The compiled worker entry point (dist/apps/worker/src/main.js). */
  readonly script: string;
  readonly dataDir: string;
  /** Whether the log is the embedded one (then its commits are forwarded to the worker at once). */
  readonly embeddedLog: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `npm start`'s worker: the projections and process managers in a child process of the API, on
 * the same DATA_DIR with its own connections, so that they use the machine's second core instead
 * of sharing the API's event loop. The API tells the child about each commit to the embedded log
 * (one message per commit, coalesced per turn of the event loop), so the child does not wait for
 * its poll; read-your-writes in the API follows the checkpoint the child stores. The API listens
 * once the child follows the log (`ready`).
 *
 * Supervised: a worker that exits unexpectedly is started again after a doubling delay (1 s to
 * 30 s), and says so in the log. The child ends itself when the API goes away (its IPC channel
 * closes), so a killed API leaves no worker behind.
 */
export function startChildWorker(options: ChildWorkerOptions): ChildWorker {
  const logger = new Logger('worker-process');
  let child: ChildProcess | null = null;
  let stopping = false;
  let delayMs = RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | null = null;
  let notifyScheduled = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const readyTimer = setTimeout(() => {
    logger.warn(`the worker process has not started following the log within ${READY_TIMEOUT_MS / 1000} s; answering requests anyway`);
    markReady();
  }, READY_TIMEOUT_MS);

  const notify = (): void => {
    if (notifyScheduled) return;
    notifyScheduled = true;
    setImmediate(() => {
      notifyScheduled = false;
      if (child?.connected) child.send(COMMIT_MESSAGE, () => undefined);
    });
  };
  const unsubscribe = options.embeddedLog ? onEmbeddedCommit(join(options.dataDir, EVENTS_FILE_NAME), notify) : () => undefined;

  const spawn = (): void => {
    const startedAt = Date.now();
    const started = fork(options.script, [], {
      env: { ...(options.env ?? process.env) },
      // Profiling flags belong to the API process (the bench profiles it); everything else is inherited.
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')),
      stdio: 'inherit',
    });
    child = started;
    started.on('message', (message) => {
      if (message !== RUNNING_MESSAGE) return;
      clearTimeout(readyTimer);
      markReady();
    });
    logger.log(`worker process ${started.pid} started (projections and process managers)`);
    started.on('exit', (code, signal) => {
      if (child === started) child = null;
      if (stopping) return;
      delayMs = Date.now() - startedAt >= STABLE_AFTER_MS ? RESTART_MIN_MS : delayMs;
      logger.error(`worker process ${started.pid} exited (${signal ?? `code ${code}`}); starting it again in ${delayMs} ms`);
      restartTimer = setTimeout(spawn, delayMs);
      delayMs = Math.min(delayMs * 2, RESTART_MAX_MS);
    });
  };
  spawn();

  return {
    pid: () => child?.pid ?? null,
    ready,
    async stop() {
      stopping = true;
      clearTimeout(readyTimer);
      markReady();
      unsubscribe();
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
        running.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
  };
}

/**
 * In the worker, first thing: when started by an API (an IPC channel to the parent exists), stop
 * when the API goes away — at once while still starting (nothing to drain yet, and the channel may
 * close before a later listener could hear it), gracefully (`drain`) once running — and wake the
 * subscriptions on each commit the API reports. Call `running()` once the worker follows the log.
 */
export function followParentApi(dataDir: string, drain: () => void): { running(): void } {
  if (!process.send) return { running: () => undefined };
  let started = false;
  const parentGone = (): void => (started ? drain() : process.exit(0));
  process.on('disconnect', parentGone);
  if (!process.connected) parentGone();
  const file = join(dataDir, EVENTS_FILE_NAME);
  process.on('message', (message) => {
    if (message === COMMIT_MESSAGE) signalEmbeddedCommit(file);
  });
  return {
    running: () => {
      started = true;
      process.send?.(RUNNING_MESSAGE, () => undefined);
      // The API may have gone while this process was starting (the signal handlers of runProcess
      // are installed right after the start resolves, hence the next turn).
      setImmediate(() => {
        if (!process.connected) drain();
      });
    },
  };
}
