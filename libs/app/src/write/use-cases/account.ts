import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { accountDecider, accountStream, type AccountCommand } from '@asiointitili/domain';
import { actorOf, type CitizenPrincipal } from '../../auth/principal';
import { sealContact } from '../../personal-data/contact-details';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../personal-data/personal-data-vault';
import { AgencyDirectory } from '../agency-directory';
import { CommandExecutor } from '../command-executor';
import { requestContext } from '../request-context';

type AccountChange =
  | { readonly type: 'open'; readonly language: 'fi' | 'sv' | 'en'; readonly email?: string; readonly phone?: string }
  | { readonly type: 'close' }
  | { readonly type: 'grant'; readonly agencyId: string }
  | { readonly type: 'revoke'; readonly agencyId: string }
  | { readonly type: 'choose-paper' }
  /** Digital by default (HE 124/2025): opened at the person's first strong sign-in, no separate consent. */
  | { readonly type: 'open-automatically' };

/** Every change a citizen makes to their own account: open, close, consents, paper preference. */
export class ChangeAccountCommand {
  constructor(readonly principal: CitizenPrincipal, readonly change: AccountChange, readonly requestId?: string) {}
}

@CommandHandler(ChangeAccountCommand)
export class ChangeAccountHandler implements ICommandHandler<ChangeAccountCommand, bigint | undefined> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly agencies: AgencyDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  /** Resolves to the global position of the change, or undefined when nothing changed (an idempotent repeat). */
  async execute({ principal, change, requestId }: ChangeAccountCommand): Promise<bigint | undefined> {
    const command = await this.toDomain(principal.citizenRef, change, this.clock.now().toISOString());
    const execution = await this.executor.execute(accountStream(principal.citizenRef), accountDecider, command, requestContext(actorOf(principal), requestId));
    return execution.position;
  }

  private async toDomain(citizenRef: string, change: AccountChange, at: string): Promise<AccountCommand> {
    switch (change.type) {
      case 'open': {
        // Sealed before deciding: the plaintext never reaches the domain or the log. A refused
        // opening leaves at most an unused key behind, which holds nothing.
        const contact = await sealContact(this.vault, citizenRef, { email: change.email, phone: change.phone });
        return { type: 'OpenAccount', citizenRef, language: change.language, contact, openedBy: 'citizen', at };
      }
      case 'close':
        return { type: 'CloseAccount', citizenRef, at };
      case 'grant':
        return { type: 'GrantConsent', citizenRef, agencyId: change.agencyId, agencyRegistered: await this.agencies.isRegistered(change.agencyId), at };
      case 'revoke':
        return { type: 'RevokeConsent', citizenRef, agencyId: change.agencyId, at };
      case 'choose-paper':
        return { type: 'ChoosePaper', citizenRef, at };
      case 'open-automatically':
        return { type: 'OpenAccount', citizenRef, language: 'fi', openedBy: 'automatic', at };
    }
  }
}
