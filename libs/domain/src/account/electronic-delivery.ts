/**
 * May this person receive from this agency electronically right now? The one answer behind the
 * agency's recipient check and the route of every message, under either policy:
 *
 * - `consent` (the seed, 13/2003 §19): an open account and a consent to that agency.
 * - `digital-by-default` (HE 124/2025): an open account, unless the person opted back to paper
 *   and that choice is still in force at `at`.
 */
import type { PaperReason } from '../events';
import { isPaperOptOutActive } from '../legal-time';
import { consentGrantedAt, type AccountState } from './account.state';

export type DeliveryPolicy = 'consent' | 'digital-by-default';

export type ElectronicDelivery = { readonly electronic: true } | { readonly electronic: false; readonly paperReason: PaperReason };

export const DELIVERY_POLICIES: readonly DeliveryPolicy[] = ['consent', 'digital-by-default'];

export function canReceiveElectronically(state: AccountState, agencyId: string, policy: DeliveryPolicy, at: string): ElectronicDelivery {
  if (state.status === 'never-opened') return { electronic: false, paperReason: 'no-account' };
  if (state.status === 'closed') return { electronic: false, paperReason: 'account-closed' };
  if (policy === 'consent') {
    return consentGrantedAt(state, agencyId) === undefined ? { electronic: false, paperReason: 'no-consent' } : { electronic: true };
  }
  return isPaperOptOutActive(state.paperUntil, at) ? { electronic: false, paperReason: 'opted-out-to-paper' } : { electronic: true };
}
