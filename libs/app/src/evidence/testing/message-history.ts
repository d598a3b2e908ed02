import { deterministicUuid, type Actor, type EventStore, type RecordedEvent } from '@asiointitili/core';
import { messageDecider, messageStream, type MessageCommand, type OnBehalf } from '@asiointitili/domain';
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
      return citizenActor(command, 'bank', 'high');
    case 'AcknowledgeReceipt':
      return citizenActor(command, command.method, command.assurance);
    default:
      return { type: 'system', id: 'spec-clock' };
  }
}

/** The recipient, or (as actorOf records it) the agent acting for them. */
function citizenActor(command: { readonly citizenRef: string; readonly onBehalf?: OnBehalf }, method: string, assurance: string): Actor {
  const { onBehalf } = command;
  if (onBehalf === undefined) return { type: 'citizen', id: command.citizenRef, method, assurance };
  return { type: 'citizen', id: onBehalf.agentRef, method, assurance, actingFor: { citizenRef: command.citizenRef, mandateId: onBehalf.mandateId, relation: onBehalf.relation } };
}

/** A guardian acting for the recipient under a mandate. */
export const GUARDIAN: OnBehalf = { agentRef: 'g4ard1an', mandateId: 'md-guardian', relation: 'guardian' };

/** A registered decision opened and acknowledged by the recipient's guardian, each act recorded with ActedOnBehalf. */
export function registeredAcknowledgedOnBehalf(messageId: string): MessageCommand[] {
  return registeredAcknowledged(messageId).map((command) => (command.type === 'OpenMessage' || command.type === 'AcknowledgeReceipt' ? { ...command, onBehalf: GUARDIAN } : command));
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
