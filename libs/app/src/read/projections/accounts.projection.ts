import type { RecordedEvent } from '@asiointitili/core';
import { evolveAccount, initialAccountState, type AccountEvent, type AccountState } from '@asiointitili/domain';
import { padPosition } from '../position';
import { Collections } from './collections';
import { isNewFor, type PositionedDoc, type Projection, type ProjectionBatch } from './projection';

/**
 * The domain's own account state, keyed by citizenRef: the same fold the write side uses. Contact
 * details are in it only as the sealed envelope; the account view opens it for the owner.
 */
export type AccountDoc = PositionedDoc & AccountState;

const ACCOUNT_EVENTS = new Set<string>(['AccountOpened', 'AccountClosed', 'ConsentGranted', 'ConsentRevoked', 'PaperPreferenceChosen', 'PersonalDataErased']);

/** Accounts and their consents: the citizen's account page and the agencies' bulk recipient check. */
export const accountsProjection: Projection = {
  name: 'accounts',
  indexes: [],
  async apply(event: RecordedEvent, batch: ProjectionBatch): Promise<void> {
    if (!ACCOUNT_EVENTS.has(event.type)) return;
    const domainEvent = { type: event.type, data: event.data } as AccountEvent;
    const id = domainEvent.data.citizenRef;
    const position = padPosition(event.position);
    const existing = await batch.get<AccountDoc>(Collections.accounts, id);
    if (!isNewFor(existing, position)) return;
    const { id: _id, lastPosition: _last, ...state } = existing ?? { id, lastPosition: '', ...initialAccountState };
    batch.put(Collections.accounts, { ...evolveAccount(state, domainEvent), id, lastPosition: position });
  },
};
