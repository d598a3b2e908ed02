import { deterministicUuid, type Actor, type EventStore, type RecordedEvent } from '@asiointitili/core';
import { messageDecider, messageStream, type MessageCommand } from '@asiointitili/domain';
import {
  ACKNOWLEDGE_BY,
  AGENCY,
  DAY_MS,
  HOUR_MS,
  ORDINARY_SENT_AT,
  ORDINARY_SERVED_AT,
  RECIPIENT,
  REGISTERED_SENT_AT,
  after,
  sendOrdinary,
  sendRegistered,
} from '@asiointitili/domain/testing/message-fixtures';
import { CommandExecutor } from '../../write/command-executor';

export { ACKNOWLEDGE_BY, AGENCY, DAY_MS, HOUR_MS, ORDINARY_SENT_AT, ORDINARY_SERVED_AT, RECIPIENT, REGISTERED_SENT_AT, after };

/**
 * Writes a message's history through the real command executor (so events carry real metadata
 * and a real hash chain), for specs of proofs, exports and rebuilds. Each command gets a
 * deterministic command id, as a retried request would.
 */
export async function recordMessage(events: EventStore, messageId: string, commands: readonly MessageCommand[]): Promise<RecordedEvent[]> {
  const executor = new CommandExecutor(events);
  const stream = messageStream(messageId);
  for (const [index, command] of commands.entries()) {
    const commandId = deterministicUuid('spec', messageId, String(index));
    await executor.execute(stream, messageDecider, command, { actor: actorFor(command), commandId, correlationId: commandId, causationId: commandId });
  }
  return events.readStream(stream);
}

function actorFor(command: MessageCommand): Actor {
  switch (command.type) {
    case 'SendMessage':
      return { type: 'agency', id: command.agencyId };
    case 'OpenMessage':
    case 'SendReply':
      return { type: 'citizen', id: command.citizenRef, method: 'bank', assurance: 'high' };
    case 'AcknowledgeReceipt':
      return { type: 'citizen', id: command.citizenRef, method: command.method, assurance: command.assurance };
    default:
      return { type: 'system', id: 'spec-clock' };
  }
}

/** A registered decision, opened and acknowledged with a mobile certificate two days after sending. */
export function registeredAcknowledged(messageId: string): MessageCommand[] {
  return [
    sendRegistered({ messageId }),
    { type: 'OpenMessage', messageId, citizenRef: RECIPIENT, at: after(REGISTERED_SENT_AT, 2 * DAY_MS) },
    { type: 'AcknowledgeReceipt', messageId, citizenRef: RECIPIENT, method: 'mobile', assurance: 'high', at: after(REGISTERED_SENT_AT, 2 * DAY_MS + HOUR_MS) },
  ];
}

/** An ordinary notice, deemed served on the third day. */
export function ordinaryDeemedServed(messageId: string): MessageCommand[] {
  return [sendOrdinary({ messageId, externalId: `ext-${messageId}` }), { type: 'MarkDeemedServed', messageId, at: after(ORDINARY_SERVED_AT, HOUR_MS) }];
}

/** A registered decision nobody acknowledged: it falls back to paper after seven days and goes to print. */
export function registeredFellBack(messageId: string): MessageCommand[] {
  return [
    sendRegistered({ messageId }),
    { type: 'FallBackToPaper', messageId, reason: 'unacknowledged-7-days', at: ACKNOWLEDGE_BY },
    { type: 'RecordPrintHandOff', messageId, printJobId: `print-${messageId}`, at: after(ACKNOWLEDGE_BY, HOUR_MS) },
  ];
}

/** A registered decision for someone who cannot receive electronically: routed to paper at sending. */
export function routedToPaper(messageId: string): MessageCommand[] {
  return [sendRegistered({ messageId, recipient: { electronic: false, paperReason: 'no-account' } })];
}

/** Sent and read, nothing more yet. */
export function registeredPending(messageId: string): MessageCommand[] {
  return [sendRegistered({ messageId }), { type: 'OpenMessage', messageId, citizenRef: RECIPIENT, at: after(REGISTERED_SENT_AT, HOUR_MS) }];
}

export const OTHER_AGENCY = 'verohallinto';
