/**
 * What an account's history amounts to: whether it is open, how to reach the person (sealed),
 * which agencies may deliver electronically, and any paper opt-out in force.
 */
import { assertNever } from '../decider';
import type { AccountEvent, Language, SealedContact } from '../events';

export type AccountStatus = 'never-opened' | 'open' | 'closed';

export interface AccountState {
  readonly status: AccountStatus;
  readonly citizenRef?: string;
  readonly language?: Language;
  /** How to reach the person, sealed with their data key; gone once their personal data was erased. */
  readonly contact?: SealedContact;
  /** The last erasure of the person's personal data (kept across a reopening: it happened). */
  readonly personalDataErasedAt?: string;
  readonly openedBy?: 'citizen' | 'automatic';
  readonly openedAt?: string;
  readonly closedAt?: string;
  /** agencyId → grantedAt. A plain record (not a Map) so that a replayed state serialises to JSON. */
  readonly consents: Readonly<Record<string, string>>;
  /** Digital by default: paper until this instant (exclusive). */
  readonly paperUntil?: string;
}

export const initialAccountState: AccountState = { status: 'never-opened', consents: {} };

/** Own keys only: an agency id such as `constructor` must not find Object.prototype. */
export function consentGrantedAt(state: AccountState, agencyId: string): string | undefined {
  return Object.hasOwn(state.consents, agencyId) ? state.consents[agencyId] : undefined;
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened': {
      // A (re)opened account starts afresh: consents and a paper opt-out from before a closing do not return.
      const { citizenRef, language, contact, openedBy, openedAt } = event.data;
      const { personalDataErasedAt } = state;
      return {
        status: 'open',
        citizenRef,
        language,
        ...(contact === undefined ? {} : { contact }),
        ...(personalDataErasedAt === undefined ? {} : { personalDataErasedAt }),
        openedBy,
        openedAt,
        consents: {},
      };
    }
    case 'AccountClosed': {
      // Closing stops electronic delivery: every consent and any opt-out ends with it.
      const { paperUntil: _endsWithTheAccount, ...kept } = state;
      return { ...kept, status: 'closed', closedAt: event.data.closedAt, consents: {} };
    }
    case 'ConsentGranted':
      return { ...state, consents: { ...state.consents, [event.data.agencyId]: event.data.grantedAt } };
    case 'ConsentRevoked': {
      const { [event.data.agencyId]: _revoked, ...remaining } = state.consents;
      return { ...state, consents: remaining };
    }
    case 'PaperPreferenceChosen':
      return { ...state, paperUntil: event.data.until };
    case 'PersonalDataErased': {
      // The envelope stays in the log but can no longer be opened: the state stops pointing at it.
      const { contact: _unreadable, ...kept } = state;
      return { ...kept, personalDataErasedAt: event.data.erasedAt };
    }
    default:
      return assertNever(event);
  }
}
