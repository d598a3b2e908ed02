import type { ReadStore } from '@asiointitili/core';
import { mandateDecider, mandateStream } from '@asiointitili/domain';
import { Collections } from '../read/projections/collections';
import type { CommandContext } from '../write/command-executor';
import type { CommandExecutor } from '../write/command-executor';
import type { Mandate, MandateLookup, MandateRecorder, RecordMandateInput } from './mandate-register';
import type { MandateDoc } from './mandates.projection';

const PAGE = 100;

/**
 * The embedded mandate register: mandates are events in the log (stream `mandate-<id>`, written
 * through the CommandExecutor and the mandate decider). A lookup by id folds the stream (the
 * authoritative state: an ending counts at once); the list of an agent's mandates comes from the
 * `mandates` projection.
 */
export class EmbeddedMandateRegister implements MandateLookup, MandateRecorder {
  constructor(private readonly executor: CommandExecutor, private readonly store: ReadStore) {}

  async record(mandateId: string, input: RecordMandateInput, at: string, context: CommandContext): Promise<{ position?: bigint }> {
    const { position } = await this.executor.execute(mandateStream(mandateId), mandateDecider, { type: 'RecordMandate', mandateId, ...input, at }, context);
    return { position };
  }

  async end(mandateId: string, at: string, context: CommandContext): Promise<{ position?: bigint }> {
    const { position } = await this.executor.execute(mandateStream(mandateId), mandateDecider, { type: 'EndMandate', mandateId, at }, context);
    return { position };
  }

  async byId(mandateId: string): Promise<Mandate | undefined> {
    const { state } = await this.executor.load(mandateStream(mandateId), mandateDecider);
    return state.exists ? state : undefined;
  }

  async heldBy(agentRef: string): Promise<readonly Mandate[]> {
    const found: Mandate[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.find<MandateDoc>(Collections.mandates, { where: { agentRef }, orderBy: [{ field: 'id', direction: 'asc' }], limit: PAGE, cursor });
      for (const doc of page.items) found.push({ exists: true, mandate: doc.mandate, ...(doc.endedAt === undefined ? {} : { endedAt: doc.endedAt }) });
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    return found;
  }
}
