import type { ReadStore } from '@asiointitili/core';
import { READ_STORE } from '@asiointitili/core';
import type { Feature } from '../feature';
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
  ],
};
