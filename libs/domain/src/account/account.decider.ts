/**
 * Account: a citizen's Asiointitili, stream `account-<citizenRef>`.
 *
 * Decisions worth knowing:
 * - A closed account may be reopened by the citizen (OpenAccount, openedBy `citizen`); it starts
 *   with no consents and no paper opt-out. It is never reopened automatically: under digital by
 *   default a sign-in opens a new account, but it must not override a person's closing
 *   (conflict `account-closed`).
 * - Repeating a consent that is already granted changes nothing and records nothing.
 * - Choosing paper again while an opt-out is in force renews it for six months from the new
 *   choice; the same choice repeated (same or earlier `at`) records nothing.
 * - Contact details arrive sealed (SealedContact); the decider never opens them. Erasing personal
 *   data is allowed whether the account is open or closed (the person's right does not depend on
 *   it), records when, and repeats record nothing until new contact details were sealed.
 */
import type { AccountCommand } from '../commands';
import { accept, assertNever, reject, type Decider } from '../decider';
import { domainError } from '../errors';
import type { AccountEvent } from '../events';
import { instantMs, paperOptOutUntil } from '../legal-time';
import { consentGrantedAt, evolveAccount, initialAccountState, type AccountState } from './account.state';

export * from './account.state';
export * from './electronic-delivery';

const accountNotOpen = (citizenRef: string) => domainError('conflict', 'account-not-open', `the account ${citizenRef} is not open`);

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: initialAccountState,
  evolve: evolveAccount,

  decide(command, state) {
    switch (command.type) {
      case 'OpenAccount': {
        if (state.status === 'open') return reject(domainError('conflict', 'account-already-open', 'the account is already open'));
        if (state.status === 'closed' && command.openedBy === 'automatic') {
          return reject(domainError('conflict', 'account-closed', 'the person closed this account; only they may reopen it'));
        }
        const { citizenRef, language, contact, openedBy, at } = command;
        return accept({
          type: 'AccountOpened',
          data: { citizenRef, language, ...(contact === undefined ? {} : { contact }), openedBy, openedAt: at },
        });
      }

      case 'CloseAccount':
        if (state.status !== 'open') return reject(accountNotOpen(command.citizenRef));
        return accept({ type: 'AccountClosed', data: { citizenRef: command.citizenRef, closedAt: command.at } });

      case 'GrantConsent':
        if (!command.agencyRegistered) return reject(domainError('not-found', 'agency-not-found', `no agency ${command.agencyId}`));
        if (state.status !== 'open') return reject(accountNotOpen(command.citizenRef));
        if (consentGrantedAt(state, command.agencyId) !== undefined) return accept();
        return accept({
          type: 'ConsentGranted',
          data: { citizenRef: command.citizenRef, agencyId: command.agencyId, grantedAt: command.at },
        });

      case 'RevokeConsent':
        if (consentGrantedAt(state, command.agencyId) === undefined) {
          return reject(domainError('not-found', 'consent-not-found', `no consent to agency ${command.agencyId}`));
        }
        return accept({
          type: 'ConsentRevoked',
          data: { citizenRef: command.citizenRef, agencyId: command.agencyId, revokedAt: command.at },
        });

      case 'ChoosePaper': {
        if (state.status !== 'open') return reject(accountNotOpen(command.citizenRef));
        const until = paperOptOutUntil(command.at);
        if (state.paperUntil !== undefined && instantMs(state.paperUntil) >= instantMs(until)) return accept();
        return accept({ type: 'PaperPreferenceChosen', data: { citizenRef: command.citizenRef, chosenAt: command.at, until } });
      }

      case 'ErasePersonalData':
        if (state.status === 'never-opened') return reject(domainError('not-found', 'account-not-found', 'there is no account to erase personal data from'));
        // Already erased and nothing sealed since: the first erasure stands, nothing new to record.
        if (state.personalDataErasedAt !== undefined && state.contact === undefined) return accept();
        return accept({ type: 'PersonalDataErased', data: { citizenRef: command.citizenRef, erasedAt: command.at } });

      default:
        return assertNever(command);
    }
  },
};
