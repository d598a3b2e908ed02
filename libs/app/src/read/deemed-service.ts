import { deemedServedAt, type ExistingMessage } from '@asiointitili/domain';

/**
 * The date and instant of deemed service of a message: recorded once the day came, and known
 * (so shown to both sides) from the moment an electronic ordinary message was sent.
 */
export function deemedService(state: ExistingMessage): { readonly on?: string; readonly at?: string } {
  if (state.deemedServed) return { on: state.deemedServed.servedOn, at: state.deemedServed.at };
  const on = state.message.deemedServedOn;
  return on ? { on, at: deemedServedAt(state.message.sentAt) } : {};
}
