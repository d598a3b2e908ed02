import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, deterministicUuid, type RecordedEvent } from '@asiointitili/core';
import {
  accountDecider,
  accountStream,
  canReceiveElectronically,
  messageDecider,
  messageStream,
  type AccountCommand,
  type Delivery,
  type MessageCommand,
  type RecipientStatus,
  type SendMessage,
} from '@asiointitili/domain';
import { loadConfig } from '../../config/app-config';
import { FilePrintChannel } from '../../delivery/file-print-channel';
import { OutboxNotifier, type OutboxEntry } from '../../delivery/outbox-notifier';
import { sealContact } from '../../personal-data/contact-details';
import { Collections } from '../../read/projections/collections';
import { AgencyMessagesQuery } from '../../read/queries/agency-messages.query';
import { openRuntime, type Runtime } from '../../runtime/runtime';
import type { CommandContext } from '../../write/command-executor';
import type { DeadlineDoc } from '../deadlines.projection';
import { EventReactor, type Reaction } from '../event-reactor';

export const AGENCY = 'kela';
export const CONTENT_SHA = 'ab'.repeat(32);

export interface Contact {
  readonly email?: string;
  readonly phone?: string;
  readonly language?: 'fi' | 'sv' | 'en';
}

const agencyContext = (commandId: string): CommandContext => ({ actor: { type: 'agency', id: AGENCY }, commandId, correlationId: commandId, causationId: commandId });
const citizenContext = (citizenRef: string, commandId: string): CommandContext => ({
  actor: { type: 'citizen', id: citizenRef, method: 'bank', assurance: 'high' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
});

/**
 * A runtime on a temporary DATA_DIR with a ManualClock and the embedded adapters, and the
 * citizen's and agency's acts as plain domain commands, for the process-manager specs. The
 * projections run only when a spec starts them, so a spec decides what the schedule has seen.
 */
export class LegalTimeHarness {
  private counter = 0;
  private projectionsStarted = false;
  private readonly reactors: EventReactor[] = [];

  private constructor(
    readonly dataDir: string,
    readonly clock: ManualClock,
    readonly runtime: Runtime,
  ) {}

  static async open(start: string, dataDir?: string): Promise<LegalTimeHarness> {
    const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'legal-time-')));
    const clock = new ManualClock(start);
    const env = { DATA_DIR: dir, DEADLINE_INTERVAL_MS: '20' };
    const runtime = await openRuntime(loadConfig(env), { clock, env });
    return new LegalTimeHarness(dir, clock, runtime);
  }

  /** Closes this runtime and opens a new one on the same DATA_DIR: a restart. */
  async restart(at: string): Promise<LegalTimeHarness> {
    await this.close();
    const restarted = await LegalTimeHarness.open(at, this.dataDir);
    restarted.counter = this.counter; // message ids stay unique across the restart
    return restarted;
  }

  /** Follows the log with a reaction from its checkpoint, as the worker does; stopped by close/restart/destroy. */
  async react(reaction: Reaction): Promise<EventReactor> {
    const reactor = new EventReactor(this.runtime.events, this.runtime.readStore, reaction, { backOff: { initialMs: 20, maxMs: 100 } });
    await reactor.start();
    this.reactors.push(reactor);
    return reactor;
  }

  /** Waits until a reactor has handled everything in the log. */
  async settled(reactor: EventReactor): Promise<void> {
    const head = await this.runtime.events.headPosition();
    if (head !== null && !(await reactor.waitFor(head, 5000))) throw new Error(`${reactor.constructor.name} did not reach ${head}`);
  }

  async close(): Promise<void> {
    for (const reactor of this.reactors.splice(0)) await reactor.stop();
    await this.runtime.close();
  }

  async destroy(): Promise<void> {
    await this.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  /** An open account with consent to AGENCY. */
  async openAccount(citizenRef: string, contact: Contact = {}): Promise<void> {
    // Sealed as the ChangeAccount handler does: the log holds the envelope, the vault the key.
    const sealed = await sealContact(this.runtime.personalData, citizenRef, { email: contact.email, phone: contact.phone });
    await this.account(citizenRef, { type: 'OpenAccount', citizenRef, language: contact.language ?? 'fi', contact: sealed, openedBy: 'citizen', at: this.now() });
    await this.account(citizenRef, { type: 'GrantConsent', citizenRef, agencyId: AGENCY, agencyRegistered: true, at: this.now() });
  }

  async closeAccount(citizenRef: string): Promise<void> {
    await this.account(citizenRef, { type: 'CloseAccount', citizenRef, at: this.now() });
  }

  async revokeConsent(citizenRef: string): Promise<void> {
    await this.account(citizenRef, { type: 'RevokeConsent', citizenRef, agencyId: AGENCY, at: this.now() });
  }

  /** Paper by choice for six months (honoured under both policies). */
  async choosePaper(citizenRef: string): Promise<void> {
    await this.account(citizenRef, { type: 'ChoosePaper', citizenRef, at: this.now() });
  }

  /** The person's contact details erased as the ErasePersonalData handler does: key first, then the event. */
  async erasePersonalData(citizenRef: string): Promise<void> {
    await this.runtime.personalData.erase(citizenRef, this.now());
    await this.account(citizenRef, { type: 'ErasePersonalData', citizenRef, at: this.now() });
  }

  /** Sends a message the way the SendMessage handler does (route from the account), and returns its id. */
  async send(citizenRef: string, delivery: Delivery, recipient?: RecipientStatus, extra: Partial<SendMessage> = {}): Promise<string> {
    const messageId = `m-${delivery}-${++this.counter}`;
    const { state: account } = await this.runtime.executor.load(accountStream(citizenRef), accountDecider);
    await this.message(messageId, {
      type: 'SendMessage',
      messageId,
      agencyId: AGENCY,
      citizenRef,
      kind: 'decision',
      delivery,
      subject: 'Päätös asumistuesta',
      body: 'Teille on myönnetty asumistuki.',
      attachments: [{ id: 'att-1', name: 'liite.pdf', contentType: 'application/pdf', size: 1000, sha256: 'cd'.repeat(32) }],
      replyAllowed: false,
      recipient: recipient ?? canReceiveElectronically(account, AGENCY, 'consent', this.now()),
      contentSha256: CONTENT_SHA,
      at: this.now(),
      ...extra,
    }, agencyContext(`send-${messageId}`));
    return messageId;
  }

  /** The agency cancels a scheduled message. */
  async cancel(messageId: string): Promise<void> {
    await this.message(messageId, { type: 'CancelMessage', messageId, agencyId: AGENCY, at: this.now() }, agencyContext(`cancel-${messageId}`));
  }

  /**
   * Publishes a scheduled message as the deadline manager does, with the route it decided on:
   * given explicitly, it can be a read of the account from before a change appended meanwhile.
   */
  async publish(messageId: string, recipientAtPublication: RecipientStatus): Promise<void> {
    const context: CommandContext = { actor: { type: 'system', id: 'deadline-manager' }, commandId: `publish-${messageId}`, correlationId: `publish-${messageId}`, causationId: `publish-${messageId}` };
    await this.message(messageId, { type: 'PublishMessage', messageId, recipientAtPublication, at: this.now() }, context);
  }

  async open(citizenRef: string, messageId: string): Promise<void> {
    await this.message(messageId, { type: 'OpenMessage', messageId, citizenRef, at: this.now() }, citizenContext(citizenRef, `open-${messageId}-${this.now()}`));
  }

  async acknowledge(citizenRef: string, messageId: string): Promise<void> {
    await this.message(
      messageId,
      { type: 'AcknowledgeReceipt', messageId, citizenRef, method: 'bank', assurance: 'high', at: this.now() },
      citizenContext(citizenRef, `ack-${messageId}-${this.now()}`),
    );
  }

  /** The types of the message stream, in order: the trail as the log holds it. */
  async trail(messageId: string): Promise<string[]> {
    return (await this.events(messageId)).map((e) => e.type);
  }

  events(messageId: string): Promise<RecordedEvent[]> {
    return this.runtime.events.readStream(messageStream(messageId));
  }

  /** Starts the projections (once) and waits until they include everything in the log. */
  async project(): Promise<void> {
    if (!this.projectionsStarted) {
      await this.runtime.projections.start();
      this.projectionsStarted = true;
    }
    const head = await this.runtime.events.headPosition();
    if (head !== null && !(await this.runtime.projections.waitFor(head, 5000))) throw new Error(`projections did not reach ${head}`);
  }

  async deadline(messageId: string, kind: DeadlineDoc['kind']): Promise<DeadlineDoc | null> {
    return this.runtime.readStore.get<DeadlineDoc>(Collections.deadlines, `${messageId}:${kind}`);
  }

  agencyView(messageId: string) {
    return new AgencyMessagesQuery(this.runtime.readStore).message(AGENCY, messageId);
  }

  async feedTypes(messageId: string): Promise<string[]> {
    const page = await new AgencyMessagesQuery(this.runtime.readStore).feed(AGENCY, 1000, undefined);
    return page.items.filter((item) => item.messageId === messageId).map((item) => item.type);
  }

  outbox(): Promise<OutboxEntry[]> {
    return OutboxNotifier.inDataDir(this.dataDir).entries();
  }

  printJob(id: string) {
    return FilePrintChannel.inDataDir(this.dataDir).job(id);
  }

  private async account(citizenRef: string, command: AccountCommand): Promise<void> {
    await this.runtime.executor.execute(accountStream(citizenRef), accountDecider, command, citizenContext(citizenRef, deterministicUuid('account', citizenRef, command.type, command.at)));
  }

  private async message(messageId: string, command: MessageCommand, context: CommandContext): Promise<void> {
    await this.runtime.executor.execute(messageStream(messageId), messageDecider, command, context);
  }
}
