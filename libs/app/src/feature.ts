import type { Provider, Type } from '@nestjs/common';

/**
 * A slice of the HTTP application (legal time, evidence, two-way channel, ...): its controllers
 * and providers, registered in AsiointitiliModule beside the core ones so they share its ports.
 */
export interface Feature {
  readonly controllers: readonly Type<unknown>[];
  readonly providers: readonly Provider[];
}
