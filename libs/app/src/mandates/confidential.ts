import type { CitizenPrincipal } from '../auth/principal';

/** A `confidential` message is for the person alone: to anyone acting on their behalf it does not exist. */
export function hiddenFromAgent(message: { readonly confidential?: true }, principal: CitizenPrincipal): boolean {
  return message.confidential === true && principal.onBehalf !== undefined;
}
