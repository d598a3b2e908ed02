import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { accountDecider, accountStream, type ErasePersonalData } from '@asiointitili/domain';
import { actorOf, type Principal } from '../auth/principal';
import { CommandExecutor } from '../write/command-executor';
import { requestContext } from '../write/request-context';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from './personal-data-vault';

/** The person themself, or an admin acting on a request made outside the service. */
export type ErasureRequester = Extract<Principal, { readonly role: 'citizen' | 'admin' }>;

export class ErasePersonalDataCommand {
  constructor(
    readonly requester: ErasureRequester,
    readonly citizenRef: string,
    readonly requestId?: string,
  ) {}
}

export interface ErasureResult {
  /** When the erasure that stands was made: this one, or the first one for a repeat. */
  readonly erasedAt: string;
  /** False for a repeat: nothing new was erased or recorded. */
  readonly recorded: boolean;
  /** Global position of the PersonalDataErased event, when one was recorded. */
  readonly position?: bigint;
}

/**
 * Erasure of a person's contact details: destroy their data keys, then record PersonalDataErased
 * on the account stream. The key goes first so that the trail entry always means the key is gone;
 * a crash in between leaves it destroyed and unrecorded, and the repeated request records it.
 * Events are not touched: the envelopes stay in the log, unreadable, and the chain verifies.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand, ErasureResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ requester, citizenRef, requestId }: ErasePersonalDataCommand): Promise<ErasureResult> {
    const at = this.clock.now().toISOString();
    await this.vault.erase(citizenRef, at);
    const command: ErasePersonalData = { type: 'ErasePersonalData', citizenRef, at };
    const execution = await this.executor.execute(accountStream(citizenRef), accountDecider, command, requestContext(actorOf(requester), requestId));
    return {
      erasedAt: execution.state.personalDataErasedAt ?? at,
      recorded: execution.appended.length > 0,
      ...(execution.position === undefined ? {} : { position: execution.position }),
    };
  }
}
