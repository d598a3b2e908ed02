import type { ChoosePaper, CloseAccount, ErasePersonalData, GrantConsent, OpenAccount, RevokeConsent } from '../commands';
import type { AccountClosed, AccountOpened, ConsentGranted, ConsentRevoked, PaperPreferenceChosen, PersonalDataErased, SealedContact } from '../events';
import { given } from '../testing/given-when-then';
import { accountDecider, canReceiveElectronically } from './account.decider';

const citizenRef = 'c0ffee';
const t = (day: number, hour = 10) => new Date(Date.UTC(2025, 10, day, hour)).toISOString();

/** The domain only carries the envelope; its members are opaque base64url to it. */
const contact: SealedContact = { v: 1, kid: 'k1', iv: 'aXZpdml2aXZpdml2', ct: 'Y2lwaGVydGV4dA', tag: 'dGFndGFndGFndGFndGFnIQ' };
const open: OpenAccount = { type: 'OpenAccount', citizenRef, language: 'fi', contact, openedBy: 'citizen', at: t(1) };
const opened: AccountOpened = {
  type: 'AccountOpened',
  data: { citizenRef, language: 'fi', contact, openedBy: 'citizen', openedAt: t(1) },
};
const erase: ErasePersonalData = { type: 'ErasePersonalData', citizenRef, at: t(6) };
const erased: PersonalDataErased = { type: 'PersonalDataErased', data: { citizenRef, erasedAt: t(6) } };
const close: CloseAccount = { type: 'CloseAccount', citizenRef, at: t(5) };
const closed: AccountClosed = { type: 'AccountClosed', data: { citizenRef, closedAt: t(5) } };
const grant: GrantConsent = { type: 'GrantConsent', citizenRef, agencyId: 'kela', agencyRegistered: true, at: t(2) };
const granted: ConsentGranted = { type: 'ConsentGranted', data: { citizenRef, agencyId: 'kela', grantedAt: t(2) } };
const revoke: RevokeConsent = { type: 'RevokeConsent', citizenRef, agencyId: 'kela', at: t(3) };
const revoked: ConsentRevoked = { type: 'ConsentRevoked', data: { citizenRef, agencyId: 'kela', revokedAt: t(3) } };
const choosePaper: ChoosePaper = { type: 'ChoosePaper', citizenRef, at: '2025-01-15T10:00:00.000Z' };
const paperChosen: PaperPreferenceChosen = {
  type: 'PaperPreferenceChosen',
  data: { citizenRef, chosenAt: '2025-01-15T10:00:00.000Z', until: '2025-07-15T21:00:00.000Z' },
};

describe('account: opening and closing', () => {
  it('opens an account with the language and the sealed contact details given, carried unopened', () => {
    const outcome = given(accountDecider).when(open);
    expect(outcome.events).toEqual([opened]);
    expect(outcome.state).toMatchObject({ status: 'open', language: 'fi', contact, consents: {} });
  });

  it('leaves contact details out of the event when none were given', () => {
    const [event] = given(accountDecider).when({ ...open, contact: undefined }).events;
    expect(event.type === 'AccountOpened' && Object.keys(event.data)).not.toContain('contact');
  });

  it('has no plaintext contact member in the event or the state: no email, no phone', () => {
    const outcome = given(accountDecider).when(open);
    const plaintextKeys = (value: object) => Object.keys(value).filter((key) => key === 'email' || key === 'phone');
    expect(plaintextKeys(outcome.events[0]!.data)).toEqual([]);
    expect(plaintextKeys(outcome.state)).toEqual([]);
  });

  it('refuses to open an account that is already open', () => {
    expect(given(accountDecider, opened).when(open).error).toMatchObject({ kind: 'conflict', code: 'account-already-open' });
  });

  it('lets the citizen reopen a closed account, with no consent surviving the closing', () => {
    const outcome = given(accountDecider, opened, granted, closed).when({ ...open, at: t(9) });
    expect(outcome.events).toEqual([{ ...opened, data: { ...opened.data, openedAt: t(9) } }]);
    expect(outcome.state.status).toBe('open');
    expect(outcome.state.consents).toEqual({});
    expect(outcome.state.closedAt).toBeUndefined();
  });

  it('never reopens a closed account automatically at sign-in', () => {
    expect(given(accountDecider, opened, closed).when({ ...open, openedBy: 'automatic' }).error).toMatchObject({
      kind: 'conflict',
      code: 'account-closed',
    });
  });

  it('opens an account automatically at the first strong sign-in (digital by default)', () => {
    expect(given(accountDecider).when({ ...open, openedBy: 'automatic' }).events).toEqual([
      { ...opened, data: { ...opened.data, openedBy: 'automatic' } },
    ]);
  });

  it('closes an open account and ends every consent with it', () => {
    const outcome = given(accountDecider, opened, granted).when(close);
    expect(outcome.events).toEqual([closed]);
    expect(outcome.state).toMatchObject({ status: 'closed', closedAt: t(5), consents: {} });
  });

  it('refuses to close an account that was never opened or is already closed', () => {
    expect(given(accountDecider).when(close).error).toMatchObject({ kind: 'conflict', code: 'account-not-open' });
    expect(given(accountDecider, opened, closed).when(close).error).toMatchObject({ kind: 'conflict', code: 'account-not-open' });
  });
});

describe('account: consent', () => {
  it('grants consent to a registered agency on an open account', () => {
    const outcome = given(accountDecider, opened).when(grant);
    expect(outcome.events).toEqual([granted]);
    expect(outcome.state.consents).toEqual({ kela: t(2) });
  });

  it('answers a repeated consent with no new event, keeping the first grant time', () => {
    const outcome = given(accountDecider, opened, granted).when({ ...grant, at: t(4) });
    expect(outcome.events).toEqual([]);
    expect(outcome.state.consents).toEqual({ kela: t(2) });
  });

  it('refuses consent to an agency that is not registered', () => {
    expect(given(accountDecider, opened).when({ ...grant, agencyRegistered: false }).error).toMatchObject({
      kind: 'not-found',
      code: 'agency-not-found',
    });
  });

  it('refuses consent on an account that is not open', () => {
    expect(given(accountDecider).when(grant).error).toMatchObject({ kind: 'conflict', code: 'account-not-open' });
    expect(given(accountDecider, opened, closed).when(grant).error).toMatchObject({ kind: 'conflict', code: 'account-not-open' });
  });

  it('revokes a granted consent', () => {
    const outcome = given(accountDecider, opened, granted).when(revoke);
    expect(outcome.events).toEqual([revoked]);
    expect(outcome.state.consents).toEqual({});
  });

  it('answers not-found when revoking a consent that does not exist, also a second time', () => {
    expect(given(accountDecider, opened).when(revoke).error).toMatchObject({ kind: 'not-found', code: 'consent-not-found' });
    expect(given(accountDecider, opened, granted, revoked).when(revoke).error).toMatchObject({ kind: 'not-found', code: 'consent-not-found' });
  });

  it('keeps consents per agency', () => {
    const vero: ConsentGranted = { type: 'ConsentGranted', data: { citizenRef, agencyId: 'vero', grantedAt: t(3) } };
    const outcome = given(accountDecider, opened, granted, vero).when(revoke);
    expect(outcome.state.consents).toEqual({ vero: t(3) });
  });

  it('does not mistake an agency id such as "constructor" or "__proto__" for a consent', () => {
    expect(given(accountDecider, opened).when({ ...revoke, agencyId: 'constructor' }).error.code).toBe('consent-not-found');
    const proto = given(accountDecider, opened).when({ ...grant, agencyId: '__proto__' });
    expect(proto.events).toHaveLength(1);
    expect(canReceiveElectronically(proto.state, '__proto__', 'consent', t(3))).toEqual({ electronic: true });
    expect(canReceiveElectronically(proto.state, 'toString', 'consent', t(3))).toEqual({ electronic: false, paperReason: 'no-consent' });
  });
});

describe('account: paper opt-out (digital by default)', () => {
  it('opts back to paper for six calendar months', () => {
    const outcome = given(accountDecider, opened).when(choosePaper);
    expect(outcome.events).toEqual([paperChosen]);
    expect(outcome.state.paperUntil).toBe('2025-07-15T21:00:00.000Z');
  });

  it('refuses the choice on an account that is not open', () => {
    expect(given(accountDecider).when(choosePaper).error).toMatchObject({ kind: 'conflict', code: 'account-not-open' });
  });

  it('answers the same choice repeated with no new event', () => {
    expect(given(accountDecider, opened, paperChosen).when(choosePaper).events).toEqual([]);
  });

  it('renews the opt-out for six months from a later choice', () => {
    const outcome = given(accountDecider, opened, paperChosen).when({ ...choosePaper, at: '2025-05-02T10:00:00.000Z' });
    expect(outcome.events).toEqual([
      { type: 'PaperPreferenceChosen', data: { citizenRef, chosenAt: '2025-05-02T10:00:00.000Z', until: '2025-11-02T22:00:00.000Z' } },
    ]);
  });

  it('ends the opt-out with the account: a reopened account has none', () => {
    const chosenNov2: PaperPreferenceChosen = { type: 'PaperPreferenceChosen', data: { citizenRef, chosenAt: t(2), until: '2026-05-02T21:00:00.000Z' } };
    const reopened: AccountOpened = { ...opened, data: { ...opened.data, openedAt: t(9) } };
    const state = given(accountDecider, opened, chosenNov2, closed, reopened).state;
    expect(state.paperUntil).toBeUndefined();
    expect(canReceiveElectronically(state, 'vero', 'digital-by-default', t(10))).toEqual({ electronic: true });
  });
});

describe('canReceiveElectronically', () => {
  it('sends to paper when the person has no account, under either policy', () => {
    const none = given(accountDecider).state;
    expect(canReceiveElectronically(none, 'kela', 'consent', t(3))).toEqual({ electronic: false, paperReason: 'no-account' });
    expect(canReceiveElectronically(none, 'kela', 'digital-by-default', t(3))).toEqual({ electronic: false, paperReason: 'no-account' });
  });

  it('sends to paper when the account is closed, under either policy', () => {
    const state = given(accountDecider, opened, granted, closed).state;
    expect(canReceiveElectronically(state, 'kela', 'consent', t(6))).toEqual({ electronic: false, paperReason: 'account-closed' });
    expect(canReceiveElectronically(state, 'kela', 'digital-by-default', t(6))).toEqual({ electronic: false, paperReason: 'account-closed' });
  });

  it('needs consent to that very agency in the consent model', () => {
    const state = given(accountDecider, opened, granted).state;
    expect(canReceiveElectronically(state, 'kela', 'consent', t(3))).toEqual({ electronic: true });
    expect(canReceiveElectronically(state, 'vero', 'consent', t(3))).toEqual({ electronic: false, paperReason: 'no-consent' });
  });

  it('needs no consent under digital by default', () => {
    const state = given(accountDecider, opened).state;
    expect(canReceiveElectronically(state, 'vero', 'digital-by-default', t(3))).toEqual({ electronic: true });
  });

  it('honours a paper opt-out under digital by default until it ends', () => {
    const state = given(accountDecider, opened, paperChosen).state;
    expect(canReceiveElectronically(state, 'vero', 'digital-by-default', '2025-07-15T20:59:59.999Z')).toEqual({
      electronic: false,
      paperReason: 'opted-out-to-paper',
    });
    expect(canReceiveElectronically(state, 'vero', 'digital-by-default', '2025-07-15T21:00:00.000Z')).toEqual({ electronic: true });
  });

  it('honours a paper opt-out in the consent model too, over a consent, until it ends', () => {
    const state = given(accountDecider, opened, paperChosen, granted).state;
    expect(canReceiveElectronically(state, 'kela', 'consent', '2025-03-01T10:00:00.000Z')).toEqual({ electronic: false, paperReason: 'opted-out-to-paper' });
    expect(canReceiveElectronically(state, 'kela', 'consent', '2025-07-15T21:00:00.000Z')).toEqual({ electronic: true });
  });
});

describe('account: erasure of personal data', () => {
  it('records the erasure and stops pointing at the sealed contact details', () => {
    const outcome = given(accountDecider, opened).when(erase);
    expect(outcome.events).toEqual([erased]);
    expect(outcome.state.contact).toBeUndefined();
    expect(outcome.state.personalDataErasedAt).toBe(t(6));
    expect(outcome.state.status).toBe('open');
  });

  it('erases after the account was closed too: the right does not depend on the account being open', () => {
    const outcome = given(accountDecider, opened, closed).when(erase);
    expect(outcome.events).toEqual([erased]);
    expect(outcome.state).toMatchObject({ status: 'closed', personalDataErasedAt: t(6) });
    expect(outcome.state.contact).toBeUndefined();
  });

  it('records an erasure for an account that never gave contact details (the request itself is on the trail)', () => {
    const bare: AccountOpened = { type: 'AccountOpened', data: { citizenRef, language: 'fi', openedBy: 'automatic', openedAt: t(1) } };
    expect(given(accountDecider, bare).when(erase).events).toEqual([erased]);
  });

  it('answers a repeated erasure with no new event, keeping the first time', () => {
    const outcome = given(accountDecider, opened, erased).when({ ...erase, at: t(8) });
    expect(outcome.events).toEqual([]);
    expect(outcome.state.personalDataErasedAt).toBe(t(6));
  });

  it('records a new erasure once the account was reopened with new contact details', () => {
    const reopened: AccountOpened = { ...opened, data: { ...opened.data, contact: { ...contact, kid: 'k2' }, openedAt: t(9) } };
    const outcome = given(accountDecider, opened, closed, erased, reopened).when({ ...erase, at: t(10) });
    expect(outcome.events).toEqual([{ type: 'PersonalDataErased', data: { citizenRef, erasedAt: t(10) } }]);
    expect(outcome.state.contact).toBeUndefined();
  });

  it('keeps the time of the last erasure across a reopening without contact details, and records nothing new then', () => {
    const reopened: AccountOpened = { type: 'AccountOpened', data: { citizenRef, language: 'sv', openedBy: 'citizen', openedAt: t(9) } };
    const before = given(accountDecider, opened, closed, erased, reopened);
    expect(before.state).toMatchObject({ status: 'open', personalDataErasedAt: t(6) });
    expect(before.when({ ...erase, at: t(10) }).events).toEqual([]);
  });

  it('refuses to erase for a person who never had an account', () => {
    expect(given(accountDecider).when(erase).error).toMatchObject({ kind: 'not-found', code: 'account-not-found' });
  });

  it('leaves consents and the paper opt-out as they were: erasure is about contact details only', () => {
    const outcome = given(accountDecider, opened, granted, paperChosen).when(erase);
    expect(outcome.state.consents).toEqual({ kela: t(2) });
    expect(outcome.state.paperUntil).toBe(paperChosen.data.until);
  });
});
