import type { IssueAgencyCredential, RevokeAgencyCredential, SetAgencyIpAllowlist } from '../commands';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { AgencyCredentialIssued, AgencyCredentialRevoked, AgencyIpAllowlistSet, AgencyRegistered } from '../events';
import { given } from '../testing/given-when-then';
import { agencyDecider, agencyIdOfClientId, isClientIdOf, MAX_ACTIVE_CREDENTIALS, MAX_IP_ALLOWLIST_ENTRIES, type AgencyState } from './agency.decider';

const registered: AgencyRegistered = {
  type: 'AgencyRegistered',
  data: { agencyId: 'kela', name: 'Kansaneläkelaitos', businessId: '0246246-0', registeredAt: '2025-11-24T10:00:00.000Z' },
};

const HASH = 'h'.repeat(43); // 32 bytes in unpadded base64url
const SALT = 's'.repeat(22); // 16 bytes
const PARAMS = { algorithm: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32 } as const;

const issue = (clientId = 'kela.AAAAAAAAAAAAAAAAAAAAAA', overrides: Partial<IssueAgencyCredential> = {}): IssueAgencyCredential => ({
  type: 'IssueAgencyCredential',
  agencyId: 'kela',
  clientId,
  secretHash: HASH,
  salt: SALT,
  params: PARAMS,
  at: '2025-11-25T08:00:00.000Z',
  ...overrides,
});

const issued = (clientId = 'kela.AAAAAAAAAAAAAAAAAAAAAA', issuedAt = '2025-11-25T08:00:00.000Z'): AgencyCredentialIssued => ({
  type: 'AgencyCredentialIssued',
  data: { agencyId: 'kela', clientId, secretHash: HASH, salt: SALT, params: PARAMS, issuedAt },
});

const revoke = (clientId = 'kela.AAAAAAAAAAAAAAAAAAAAAA'): RevokeAgencyCredential => ({ type: 'RevokeAgencyCredential', agencyId: 'kela', clientId, at: '2025-11-26T08:00:00.000Z' });
const revoked = (clientId = 'kela.AAAAAAAAAAAAAAAAAAAAAA'): AgencyCredentialRevoked => ({
  type: 'AgencyCredentialRevoked',
  data: { agencyId: 'kela', clientId, revokedAt: '2025-11-26T08:00:00.000Z' },
});

const allow = (cidrs: readonly string[]): SetAgencyIpAllowlist => ({ type: 'SetAgencyIpAllowlist', agencyId: 'kela', cidrs, at: '2025-11-25T09:00:00.000Z' });
const allowed = (cidrs: readonly string[]): AgencyIpAllowlistSet => ({ type: 'AgencyIpAllowlistSet', data: { agencyId: 'kela', cidrs, setAt: '2025-11-25T09:00:00.000Z' } });

const clientIdNo = (n: number): string => `kela.${String(n).padStart(22, 'A')}`;
const credentialsOf = (state: AgencyState) => (state.registered ? state.credentials : []);

describe('agency credentials', () => {
  it('records an issued credential with its hash, salt and parameters, never a secret', () => {
    const outcome = given(agencyDecider, registered).when(issue());
    expect(outcome.events).toEqual([issued()]);
    expect(Object.keys(outcome.events[0]!.data).sort()).toEqual(['agencyId', 'clientId', 'issuedAt', 'params', 'salt', 'secretHash']);
    expect(credentialsOf(outcome.state)).toEqual([{ clientId: 'kela.AAAAAAAAAAAAAAAAAAAAAA', secretHash: HASH, salt: SALT, params: PARAMS, issuedAt: '2025-11-25T08:00:00.000Z' }]);
  });

  it('refuses a credential for an agency that is not registered', () => {
    expect(given(agencyDecider).when(issue()).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
    expect(given(agencyDecider).when(revoke()).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
    expect(given(agencyDecider).when(allow([])).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
  });

  it('rotates with overlap: a new credential leaves the old one active', () => {
    const state = given(agencyDecider, registered, issued()).when(issue(clientIdNo(2))).state;
    expect(credentialsOf(state).map((c) => [c.clientId, c.revokedAt])).toEqual([
      ['kela.AAAAAAAAAAAAAAAAAAAAAA', undefined],
      [clientIdNo(2), undefined],
    ]);
  });

  it('refuses a client id issued before, even after its revocation', () => {
    expect(given(agencyDecider, registered, issued()).when(issue()).error).toMatchObject({ kind: 'conflict', code: 'credential-exists' });
    expect(given(agencyDecider, registered, issued(), revoked()).when(issue()).error).toMatchObject({ kind: 'conflict', code: 'credential-exists' });
  });

  it.each([
    ['another agency’s prefix', 'vero.AAAAAAAAAAAAAAAAAAAAAA'],
    ['no random part', 'kela.'],
    ['a random part under 16 characters', 'kela.AAAAAAAAAAAAAAA'],
    ['a random part over 64 characters', `kela.${'A'.repeat(65)}`],
    ['characters outside base64url', 'kela.AAAAAAAAAAAAAAAAAAAAA+'],
  ])('refuses a client id with %s', (_name, clientId) => {
    expect(given(agencyDecider, registered).when(issue(clientId)).error).toMatchObject({ kind: 'invalid', code: 'invalid-client-id' });
  });

  it(`refuses a ${MAX_ACTIVE_CREDENTIALS + 1}th active credential, and accepts it once one is revoked`, () => {
    const full = Array.from({ length: MAX_ACTIVE_CREDENTIALS }, (_, i) => issued(clientIdNo(i)));
    expect(given(agencyDecider, registered, ...full).when(issue(clientIdNo(99))).error).toMatchObject({ kind: 'conflict', code: 'too-many-credentials' });
    expect(given(agencyDecider, registered, ...full, revoked(clientIdNo(0))).when(issue(clientIdNo(99))).events).toHaveLength(1);
  });

  it.each<readonly [string, Partial<IssueAgencyCredential>]>([
    ['another algorithm', { params: { ...PARAMS, algorithm: 'md5' as 'scrypt' } }],
    ['N below 2^14', { params: { ...PARAMS, N: 8192 } }],
    ['N not a power of two', { params: { ...PARAMS, N: 30000 } }],
    ['N above 2^20', { params: { ...PARAMS, N: 2 ** 21 } }],
    ['r below 8', { params: { ...PARAMS, r: 4 } }],
    ['p of 0', { params: { ...PARAMS, p: 0 } }],
    ['a 16-byte derived key', { params: { ...PARAMS, keyLength: 16 }, secretHash: 'h'.repeat(22) }],
    ['a hash whose length does not match the key length', { secretHash: 'h'.repeat(42) }],
    ['a hash with padding', { secretHash: `${'h'.repeat(42)}=` }],
    ['a salt under 16 bytes', { salt: 's'.repeat(21) }],
    ['a salt over 64 bytes', { salt: 's'.repeat(87) }],
    ['an empty salt', { salt: '' }],
  ])('refuses a weak or malformed hash: %s', (_name, overrides) => {
    expect(given(agencyDecider, registered).when(issue(undefined, overrides)).error).toMatchObject({ kind: 'invalid', code: 'weak-secret-hash' });
  });

  it('revokes a credential, keeping its record with the time of revocation', () => {
    const outcome = given(agencyDecider, registered, issued()).when(revoke());
    expect(outcome.events).toEqual([revoked()]);
    expect(credentialsOf(outcome.state)[0]).toMatchObject({ clientId: 'kela.AAAAAAAAAAAAAAAAAAAAAA', revokedAt: '2025-11-26T08:00:00.000Z' });
  });

  it('revokes only the named credential', () => {
    const state = given(agencyDecider, registered, issued(), issued(clientIdNo(2))).when(revoke(clientIdNo(2))).state;
    expect(credentialsOf(state).map((c) => c.revokedAt)).toEqual([undefined, '2025-11-26T08:00:00.000Z']);
  });

  it('answers a repeated revocation with no event, keeping the first time', () => {
    expect(given(agencyDecider, registered, issued(), revoked()).when({ ...revoke(), at: '2025-12-01T00:00:00.000Z' }).events).toEqual([]);
  });

  it('refuses to revoke a credential the agency never had', () => {
    expect(given(agencyDecider, registered).when(revoke()).error).toMatchObject({ kind: 'not-found', code: 'credential-not-found' });
  });

  it('refuses to fold a revocation of a credential that was never issued', () => {
    expect(() => given(agencyDecider, registered, revoked())).toThrow(EventOutOfPlaceError);
  });

  it('refuses to fold a credential event before the agency was registered', () => {
    expect(() => given(agencyDecider, issued())).toThrow(EventOutOfPlaceError);
  });
});

describe('agency IP allowlist', () => {
  it('records IPv4 and IPv6 networks', () => {
    const cidrs = ['192.0.2.0/24', '2001:db8::/32', '10.1.2.3/32', '::1/128'];
    const outcome = given(agencyDecider, registered).when(allow(cidrs));
    expect(outcome.events).toEqual([allowed(cidrs)]);
    expect(outcome.state).toMatchObject({ ipAllowlist: cidrs });
  });

  it('lifts the restriction with an empty list', () => {
    expect(given(agencyDecider, registered, allowed(['192.0.2.0/24'])).when(allow([])).state).toMatchObject({ ipAllowlist: [] });
  });

  it('answers the same list again, in any order, with no event', () => {
    expect(given(agencyDecider, registered, allowed(['192.0.2.0/24', '2001:db8::/32'])).when(allow(['2001:db8::/32', '192.0.2.0/24'])).events).toEqual([]);
    expect(given(agencyDecider, registered).when(allow([])).events).toEqual([]);
  });

  it.each([
    '192.0.2.0',
    '192.0.2.0/33',
    '256.0.0.0/8',
    '192.0.02.0/24',
    '192.0.2.0/024',
    '2001:db8::/129',
    '2001:db8:::1/64',
    '2001:db8::1::2/64',
    '1:2:3:4:5:6:7:8:9/64',
    '1:2:3:4:5:6:7/64',
    '2001:DB8::/32',
    'example.fi/24',
    '',
  ])('refuses "%s" as a network', (cidr) => {
    expect(given(agencyDecider, registered).when(allow([cidr])).error).toMatchObject({ kind: 'invalid', code: 'invalid-cidr' });
  });

  it('refuses a network listed twice', () => {
    expect(given(agencyDecider, registered).when(allow(['192.0.2.0/24', '192.0.2.0/24'])).error).toMatchObject({ kind: 'invalid', code: 'duplicate-cidr' });
  });

  it(`refuses more than ${MAX_IP_ALLOWLIST_ENTRIES} networks`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);
    expect(given(agencyDecider, registered).when(allow(many(MAX_IP_ALLOWLIST_ENTRIES + 1))).error).toMatchObject({ kind: 'invalid', code: 'too-many-cidrs' });
    expect(given(agencyDecider, registered).when(allow(many(MAX_IP_ALLOWLIST_ENTRIES))).events).toHaveLength(1);
  });
});

describe('client ids', () => {
  it('name their agency before the first dot', () => {
    expect(agencyIdOfClientId('kela.AAAAAAAAAAAAAAAAAAAAAA')).toBe('kela');
    expect(agencyIdOfClientId('no-dot')).toBeUndefined();
    expect(agencyIdOfClientId('.AAAA')).toBeUndefined();
  });

  it('belong to one agency only', () => {
    expect(isClientIdOf('kela.AAAAAAAAAAAAAAAAAAAAAA', 'kela')).toBe(true);
    expect(isClientIdOf('kela.AAAAAAAAAAAAAAAAAAAAAA', 'kel')).toBe(false);
    expect(isClientIdOf('kela-x.AAAAAAAAAAAAAAAAAAAAAA', 'kela')).toBe(false);
  });
});
