import type { Actor } from '@asiointitili/core';
import type { CommandContext } from '../write/command-executor';

/** The process managers, as they appear as actors in the trail. */
export type ProcessManagerName = 'deadline-manager' | 'print-hand-off' | 'account-closed' | 'arrival-notification' | 'route-check';

export const systemActor = (manager: ProcessManagerName): Actor => ({ type: 'system', id: manager });

/**
 * The context of a command a process manager issues. The command id is deterministic (derived
 * from what triggered it), so a retry after a crash derives the same event ids, and the cause is
 * the event the manager reacted to.
 */
export function systemContext(manager: ProcessManagerName, commandId: string, cause: { readonly causationId: string; readonly correlationId: string }): CommandContext {
  return { actor: systemActor(manager), commandId, correlationId: cause.correlationId, causationId: cause.causationId };
}
