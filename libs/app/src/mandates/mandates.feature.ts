import type { ReadStore } from '@asiointitili/core';
import { READ_STORE } from '@asiointitili/core';
import { APP_GUARD } from '@nestjs/core';
import type { Feature } from '../feature';
import { ActForGuard } from './act-for';
import { CommandExecutor } from '../write/command-executor';
import { EmbeddedMandateRegister } from './embedded-mandate-register';
import { MANDATE_LOOKUP } from './mandate-register';
import { AdminMandatesController, CitizenPrincipalsController } from './mandates.controller';

/** Acting on behalf of another person (13/2003 §18): the embedded mandate register and its routes. */
export const MANDATES_FEATURE: Feature = {
  controllers: [AdminMandatesController, CitizenPrincipalsController],
  providers: [
    { provide: EmbeddedMandateRegister, inject: [CommandExecutor, READ_STORE], useFactory: (executor: CommandExecutor, store: ReadStore) => new EmbeddedMandateRegister(executor, store) },
    { provide: MANDATE_LOOKUP, useExisting: EmbeddedMandateRegister },
    // After the authentication guard (registered earlier, with the security providers): swaps in the person acted for.
    { provide: APP_GUARD, useClass: ActForGuard },
  ],
};
