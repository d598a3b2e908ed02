/**
 * How a message looks to each party, derived from its state alone (no clock: a deemed-served
 * date shows as `deemed-served` once MessageDeemedServed is recorded on that day).
 */
import { isOnPaper, type ExistingMessage } from './message.state';

export type CitizenMessageState = 'unread' | 'read' | 'acknowledged' | 'paper';
export type AgencyMessageState = 'sent' | 'read' | 'acknowledged' | 'deemed-served' | 'paper';

/** The recipient's view. An acknowledgement outranks everything: once served, always served. */
export function citizenState(state: ExistingMessage): CitizenMessageState {
  if (state.acknowledgement !== undefined) return 'acknowledged';
  if (isOnPaper(state)) return 'paper';
  if (state.readAt !== undefined) return 'read';
  return 'unread';
}

/** The sender's view: the legal steps (acknowledged, deemed served, paper) outrank a mere reading. */
export function agencyState(state: ExistingMessage): AgencyMessageState {
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
