import { deterministicUuid, type Clock, type PrintChannel, type PrintJob, type RecordedEvent } from '@asiointitili/core';
import { isOnPaper, isWithheld, messageDecider, messageStream, type ExistingMessage, type RecordPrintHandOff } from '@asiointitili/domain';
import type { CommandExecutor } from '../write/command-executor';
import type { Reaction } from './event-reactor';
import { systemContext } from './system-context';

export const PRINT_HAND_OFF_CHECKPOINT = 'pm:print';

/** The letter the print service gets: one job per message, its id the message id. */
export function printJobOf(message: ExistingMessage): PrintJob {
  const sent = message.message;
  return {
    id: sent.messageId,
    messageId: sent.messageId,
    agencyId: sent.agencyId,
    citizenRef: sent.citizenRef,
    delivery: sent.delivery,
    reason: message.fallback?.reason ?? message.routedToPaper?.reason ?? 'unknown',
    contentSha256: sent.contentSha256,
    subject: sent.subject,
    body: sent.body,
    attachments: sent.attachments.map(({ id, name, sha256 }) => ({ id, name, sha256 })),
  };
}

/**
 * Paper hand-off: when a message goes to paper (routed there at sending, or fallen back), submit
 * it to the print channel, then record MessageHandedToPrint, so the trail shows the hand-off.
 * Submitting first means the trail never claims a letter the print service did not get; a crash
 * in between resubmits the same job id, which the print channel takes as already submitted.
 */
export class PrintHandOffManager implements Reaction {
  readonly name = PRINT_HAND_OFF_CHECKPOINT;
  readonly eventTypes = new Set(['MessageRoutedToPaper', 'PaperFallbackTriggered', 'MessagePublished']);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly printChannel: PrintChannel,
    private readonly clock: Clock,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const messageId = String(event.data.messageId);
    const { state } = await this.executor.load(messageStream(messageId), messageDecider);
    // A scheduled message goes to print at its publication (MessagePublished), never before, and never once cancelled.
    if (!state.exists || !isOnPaper(state) || isWithheld(state) || state.printHandOff !== undefined) return;
    const job = printJobOf(state);
    await this.printChannel.submit(job);
    const command: RecordPrintHandOff = { type: 'RecordPrintHandOff', messageId, printJobId: job.id, at: this.clock.now().toISOString() };
    await this.executor.execute(
      messageStream(messageId),
      messageDecider,
      command,
      systemContext('print-hand-off', deterministicUuid('print-hand-off', messageId), { causationId: event.id, correlationId: event.metadata.correlationId }),
    );
  }
}
