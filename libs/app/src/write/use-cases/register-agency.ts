import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { CLOCK, type Clock } from '@asiointitili/core';
import { agencyDecider, agencyStream } from '@asiointitili/domain';
import type { Principal } from '../../auth/principal';
import { actorOf } from '../../auth/principal';
import { CommandExecutor } from '../command-executor';
import { requestContext } from '../request-context';

export class RegisterAgencyCommand {
  constructor(
    readonly principal: Principal,
    readonly input: { readonly id: string; readonly name: string; readonly businessId: string },
    readonly requestId?: string,
  ) {}
}

@CommandHandler(RegisterAgencyCommand)
export class RegisterAgencyHandler implements ICommandHandler<RegisterAgencyCommand, { id: string }> {
  constructor(private readonly executor: CommandExecutor, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, input, requestId }: RegisterAgencyCommand): Promise<{ id: string }> {
    await this.executor.execute(
      agencyStream(input.id),
      agencyDecider,
      { type: 'RegisterAgency', agencyId: input.id, name: input.name, businessId: input.businessId.toUpperCase(), at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    return { id: input.id };
  }
}
