/**
 * How a message looks to each party, derived from its state alone (no clock: a deemed-served
 * date shows as `deemed-served` once MessageDeemedServed is recorded on that day).
 */
import { appealEndsOn } from '../holidays';
import { helsinkiDate } from '../legal-time';
import { isOnPaper, isWithheld, type ExistingMessage } from './message.state';

export type CitizenMessageState = 'unread' | 'read' | 'acknowledged' | 'paper';
export type AgencyMessageState = 'scheduled' | 'cancelled' | 'sent' | 'read' | 'acknowledged' | 'deemed-served' | 'paper';

/** The recipient's view. An acknowledgement outranks everything: once served, always served. */
export function citizenState(state: ExistingMessage): CitizenMessageState {
  if (state.acknowledgement !== undefined) return 'acknowledged';
  if (isOnPaper(state)) return 'paper';
  if (state.readAt !== undefined) return 'read';
  return 'unread';
}

/** The sender's view: the legal steps (acknowledged, deemed served, paper) outrank a mere reading. */
export function agencyState(state: ExistingMessage): AgencyMessageState {
  if (state.cancelledAt !== undefined) return 'cancelled';
  if (isWithheld(state)) return 'scheduled';
  if (state.acknowledgement !== undefined) return 'acknowledged';
  if (isOnPaper(state)) return 'paper';
  if (state.deemedServed !== undefined) return 'deemed-served';
  if (state.readAt !== undefined) return 'read';
  return 'sent';
}

/**
 * May the account show the body and attachments? Registered content opens only on
 * acknowledgement (§18), so never after an unacknowledged fallback; a message routed to paper
 * at sending was not delivered electronically at all.
 */
export function contentVisible(state: ExistingMessage): boolean {
  if (state.message.route === 'paper') return false;
  if (state.message.delivery === 'registered') return state.acknowledgement !== undefined;
  return true;
}

/**
 * The Helsinki date of service, once the message is served: the day of the acknowledgement
 * (registered, §18) or the deemed-service day (ordinary, §19). Undefined while pending and on
 * paper (the print channel serves it, outside this system's knowledge).
 */
export function servedOn(state: ExistingMessage): string | undefined {
  if (state.acknowledgement !== undefined) return helsinkiDate(state.acknowledgement.at);
  if (isOnPaper(state)) return undefined;
  return state.deemedServed?.servedOn;
}

/**
 * The last day of the appeal period the agency gave (`appealPeriodDays`), once the message is
 * served: Act 150/1930, the day of service not counted and a last day that is not a working day
 * moved to the next one. Undefined without a period or before service.
 */
export function appealEnd(state: ExistingMessage): string | undefined {
  const days = state.message.appealPeriodDays;
  const on = servedOn(state);
  return days === undefined || on === undefined ? undefined : appealEndsOn(on, days);
}
