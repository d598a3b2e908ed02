import { isOnPaper, startOfHelsinkiDay, type ExistingMessage } from '@asiointitili/domain';

/**
 * The date and instant of deemed service of a message: recorded once the day came, and known
 * (so shown to both sides) from the moment an electronic ordinary message was sent. The instant is
 * the start of that Helsinki day (for a scheduled message, the day counted from publishAt). A
 * message on paper (rerouted by the route check, or at its publication) is never deemed served,
 * so it shows no such date.
 */
export function deemedService(state: ExistingMessage): { readonly on?: string; readonly at?: string } {
  if (state.deemedServed) return { on: state.deemedServed.servedOn, at: state.deemedServed.at };
  if (isOnPaper(state)) return {};
  const on = state.message.deemedServedOn;
  return on ? { on, at: startOfHelsinkiDay(on) } : {};
}
