import { actorOf, isAcr, isAmr, isRole, type Principal } from './principal';

describe('actorOf', () => {
  it('records a citizen by citizenRef, with method and level of assurance, never by hetu', () => {
    const citizen: Principal = { role: 'citizen', hetu: '131052-308T', citizenRef: 'c_abc', acr: 'substantial', amr: 'mobile' };
    const actor = actorOf(citizen);
    expect(actor).toEqual({ type: 'citizen', id: 'c_abc', method: 'mobile', assurance: 'substantial' });
    expect(JSON.stringify(actor)).not.toContain('131052');
  });

  it('records an agency by its agency id', () => {
    expect(actorOf({ role: 'agency', agencyId: 'kela' })).toEqual({ type: 'agency', id: 'kela' });
  });

  it('records an agency that exchanged client credentials with the method client-credentials', () => {
    expect(actorOf({ role: 'agency', agencyId: 'kela', clientId: 'kela.AAAAAAAAAAAAAAAAAAAAAA' })).toEqual({ type: 'agency', id: 'kela', method: 'client-credentials' });
  });

  it.each(['auditor', 'admin'] as const)('records an %s by subject', (role) => {
    expect(actorOf({ role, subject: 'maija' })).toEqual({ type: role, id: 'maija' });
  });
});

describe('claim value guards', () => {
  it('know exactly the four roles', () => {
    expect(['citizen', 'agency', 'auditor', 'admin'].every(isRole)).toBe(true);
    expect([undefined, 'Citizen', 'system', 'toString', 1].some(isRole)).toBe(false);
  });

  it('know the levels of assurance substantial and high only', () => {
    expect(['substantial', 'high'].every(isAcr)).toBe(true);
    expect(['low', 'HIGH', ''].some(isAcr)).toBe(false);
  });

  it('know the methods bank, mobile and idcard only', () => {
    expect(['bank', 'mobile', 'idcard'].every(isAmr)).toBe(true);
    expect(['pwd', 'sms', ['bank']].some(isAmr)).toBe(false);
  });
});
