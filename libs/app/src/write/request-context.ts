import { randomUUID } from 'node:crypto';
import type { Actor } from '@asiointitili/core';
import type { CommandContext } from './command-executor';

/**
 * The context of a command started by an HTTP request. The correlation id is the caller's
 * `X-Request-Id` when it sent a sane one, so an agency can find its own request in the trail.
 */
export function requestContext(actor: Actor, requestId: string | undefined, commandId: string = randomUUID()): CommandContext {
  const correlationId = requestId && /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) ? requestId : randomUUID();
  return { actor, commandId, correlationId, causationId: correlationId };
}
