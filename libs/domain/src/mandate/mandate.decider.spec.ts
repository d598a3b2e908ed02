import { given } from '../testing/given-when-then';
import {
  actingRefusal,
  eighteenthBirthday,
  mandateDecider,
  mandateExpiresAt,
  type MandateEvent,
  type MandateState,
  type RecordMandate,
} from './mandate.decider';

const AT = '2026-12-07T10:00:00.000Z'; // Monday 7 December 2026, 12:00 Helsinki
const record = (overrides: Partial<RecordMandate> = {}): RecordMandate => ({
  type: 'RecordMandate',
  mandateId: 'md-1',
  principalRef: 'c-principal',
  agentRef: 'c-agent',
  relation: 'mandate',
  scopes: ['read', 'acknowledge'],
  at: AT,
  ...overrides,
});
const existing = (...history: MandateEvent[]) => {
  const state = given(mandateDecider, ...history).state;
  if (!state.exists) throw new Error('expected a mandate');
  return state as Extract<MandateState, { exists: true }>;
};
const recorded = (overrides: Partial<RecordMandate> = {}): MandateEvent[] => [...given(mandateDecider).when(record(overrides)).events];

describe('mandate: recording', () => {
  it('records an authorised agent’s mandate with its scopes in a fixed order', () => {
    expect(given(mandateDecider).when(record({ scopes: ['acknowledge', 'read'], validUntil: '2027-06-30' })).events).toEqual([
      {
        type: 'MandateRecorded',
        data: { mandateId: 'md-1', principalRef: 'c-principal', agentRef: 'c-agent', relation: 'mandate', scopes: ['read', 'acknowledge'], validUntil: '2027-06-30', recordedAt: AT },
      },
    ]);
  });

  it.each([
    ['for oneself', { agentRef: 'c-principal' }, 'mandate-for-oneself'],
    ['without scopes', { scopes: [] }, 'invalid-scopes'],
    ['with an unknown scope', { scopes: ['delete' as never] }, 'invalid-scopes'],
    ['with a repeated scope', { scopes: ['read', 'read'] as const }, 'invalid-scopes'],
    ['ending in the past', { validUntil: '2026-12-06' }, 'invalid-valid-until'],
    ['as a guardian without the birth date', { relation: 'guardian' as const }, 'guardian-needs-birth-date'],
    ['as a guardian of an adult', { relation: 'guardian' as const, principalBornOn: '2008-12-07' }, 'principal-of-age'],
  ])('refuses a mandate %s', (_what, overrides, code) => {
    expect(given(mandateDecider).when(record(overrides as Partial<RecordMandate>)).error).toMatchObject({ kind: 'invalid', code });
  });

  it('refuses recording the same mandate twice', () => {
    expect(given(mandateDecider, ...recorded()).when(record()).error.code).toBe('mandate-exists');
  });
});

describe('mandate: a guardian’s ends on the minor’s 18th birthday by itself', () => {
  it('knows the 18th birthday, with 29 February turning 18 on 1 March in a common year', () => {
    expect(eighteenthBirthday('2010-05-17')).toBe('2028-05-17');
    expect(eighteenthBirthday('2008-02-29')).toBe('2026-03-01');
    expect(eighteenthBirthday('2012-02-29')).toBe('2030-03-01');
  });

  it('is in force until the 18th birthday begins in Helsinki, and not from then on', () => {
    const guardian = existing(...recorded({ relation: 'guardian', principalBornOn: '2010-05-17', scopes: ['read', 'acknowledge', 'reply', 'apply'] }));
    expect(mandateExpiresAt(guardian.mandate)).toBe('2028-05-16T21:00:00.000Z');
    expect(actingRefusal([guardian], 'c-agent', 'c-principal', 'acknowledge', '2028-05-16T20:59:59.999Z')).toBeUndefined();
    expect(actingRefusal([guardian], 'c-agent', 'c-principal', 'acknowledge', '2028-05-16T21:00:00.000Z')).toBe('expired');
  });

  it('ends on an earlier validUntil when one was given', () => {
    const guardian = existing(...recorded({ relation: 'guardian', principalBornOn: '2010-05-17', validUntil: '2027-01-31' }));
    expect(mandateExpiresAt(guardian.mandate)).toBe('2027-01-31T22:00:00.000Z');
  });
});

describe('acting on behalf: isolation', () => {
  const mandate = existing(...recorded({ validUntil: '2026-12-31' }));

  it('lets the agent act within the scopes while the mandate is in force, through the whole last day', () => {
    expect(actingRefusal([mandate], 'c-agent', 'c-principal', 'read', AT)).toBeUndefined();
    expect(actingRefusal([mandate], 'c-agent', 'c-principal', 'acknowledge', '2026-12-31T21:59:59.999Z')).toBeUndefined();
  });

  it('refuses without a mandate: another person, or the principal’s other agents', () => {
    expect(actingRefusal([mandate], 'c-stranger', 'c-principal', 'read', AT)).toBe('no-mandate');
    expect(actingRefusal([mandate], 'c-agent', 'c-someone-else', 'read', AT)).toBe('no-mandate');
    const other = existing(...recorded({ mandateId: 'md-2', agentRef: 'c-other-agent', scopes: ['read', 'reply'] }));
    // The other agent's reply scope is theirs alone.
    expect(actingRefusal([mandate, other], 'c-agent', 'c-principal', 'reply', AT)).toBe('out-of-scope');
    expect(actingRefusal([mandate, other], 'c-other-agent', 'c-principal', 'acknowledge', AT)).toBe('out-of-scope');
  });

  it('refuses a scope the mandate does not give', () => {
    expect(actingRefusal([mandate], 'c-agent', 'c-principal', 'apply', AT)).toBe('out-of-scope');
  });

  it('refuses once expired (the day after validUntil begins)', () => {
    expect(actingRefusal([mandate], 'c-agent', 'c-principal', 'read', '2026-12-31T22:00:00.000Z')).toBe('expired');
  });

  it('refuses once revoked, and a repeated ending records nothing', () => {
    const ended = given(mandateDecider, ...recorded()).when({ type: 'EndMandate', mandateId: 'md-1', at: '2026-12-08T10:00:00.000Z' });
    expect(ended.events).toEqual([{ type: 'MandateEnded', data: { mandateId: 'md-1', endedAt: '2026-12-08T10:00:00.000Z' } }]);
    const revoked = existing(...recorded(), ...ended.events);
    expect(actingRefusal([revoked], 'c-agent', 'c-principal', 'read', '2026-12-08T10:00:00.000Z')).toBe('ended');
    expect(actingRefusal([revoked], 'c-agent', 'c-principal', 'read', '2026-12-08T09:59:59.999Z')).toBeUndefined();
    expect(given(mandateDecider, ...recorded(), ...ended.events).when({ type: 'EndMandate', mandateId: 'md-1', at: '2026-12-09T10:00:00.000Z' }).events).toEqual([]);
  });

  it('answers ending an unknown mandate as not found', () => {
    expect(given(mandateDecider).when({ type: 'EndMandate', mandateId: 'md-x', at: AT }).error.kind).toBe('not-found');
  });

  it('lets any one mandate in force with the scope suffice', () => {
    const narrow = existing(...recorded({ mandateId: 'md-3', scopes: ['read'] }));
    const wide = existing(...recorded({ mandateId: 'md-4', scopes: ['reply'] }));
    expect(actingRefusal([narrow, wide], 'c-agent', 'c-principal', 'reply', AT)).toBeUndefined();
  });
});
