import { resolve } from 'node:path';

/**
 * In-process "something was committed to this file" signal. Every SqliteEventStore of this process
 * that writes a file wakes every subscription on the same file at once, even one opened through
 * another instance (tests, or the API and a worker module sharing a process). Appends by other
 * processes (the CLI) are not signalled; subscriptions poll slowly for those.
 */
const listenersByFile = new Map<string, Set<() => void>>();

export function onCommit(file: string, listener: () => void): () => void {
  const key = resolve(file);
  let listeners = listenersByFile.get(key);
  if (!listeners) {
    listeners = new Set();
    listenersByFile.set(key, listeners);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && listenersByFile.get(key) === listeners) listenersByFile.delete(key);
  };
}

export function signalCommit(file: string): void {
  for (const listener of [...(listenersByFile.get(resolve(file)) ?? [])]) listener();
}
