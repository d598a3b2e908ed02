/**
 * May this person receive from this agency electronically right now? The one answer behind the
 * agency's recipient check and the route of every message, under either policy:
 *
 * - `consent` (the seed, 13/2003 §19): an open account and a consent to that agency.
 * - `digital-by-default` (HE 124/2025): an open account.
 * Under both, a paper preference the person chose (six months at a time) wins while it is in
 * force: consent is permission to deliver electronically, never an obligation to receive so.
 * (Revoking every consent has the same effect without an end date.)
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
  if (isPaperOptOutActive(state.paperUntil, at)) return { electronic: false, paperReason: 'opted-out-to-paper' };
  if (policy === 'consent' && consentGrantedAt(state, agencyId) === undefined) return { electronic: false, paperReason: 'no-consent' };
  return { electronic: true };
}
