import type { RegisterAgency } from '../commands';
import type { AgencyRegistered } from '../events';
import { given } from '../testing/given-when-then';
import { agencyDecider } from './agency.decider';

const register: RegisterAgency = {
  type: 'RegisterAgency',
  agencyId: 'vero',
  name: 'Verohallinto',
  businessId: '0245437-2',
  at: '2025-11-24T10:00:00.000Z',
};

const registered: AgencyRegistered = {
  type: 'AgencyRegistered',
  data: { agencyId: 'vero', name: 'Verohallinto', businessId: '0245437-2', registeredAt: '2025-11-24T10:00:00.000Z' },
};

describe('agency', () => {
  it('registers a new agency', () => {
    const outcome = given(agencyDecider).when(register);
    expect(outcome.events).toEqual([registered]);
    expect(outcome.state).toEqual({ registered: true, ...registered.data, credentials: [], ipAllowlist: [], webhooks: [] });
  });

  it('refuses a second registration of the same agency', () => {
    expect(given(agencyDecider, registered).when({ ...register, name: 'Another' }).error).toMatchObject({
      kind: 'conflict',
      code: 'agency-exists',
    });
  });

  it('refuses a business id with a wrong check digit', () => {
    expect(given(agencyDecider).when({ ...register, businessId: '0245437-3' }).error).toMatchObject({
      kind: 'invalid',
      code: 'invalid-business-id',
    });
  });

  it('refuses a blank name and a name over 256 characters', () => {
    expect(given(agencyDecider).when({ ...register, name: '   ' }).error).toMatchObject({ kind: 'invalid', code: 'agency-name-required' });
    expect(given(agencyDecider).when({ ...register, name: 'x'.repeat(257) }).error).toMatchObject({
      kind: 'invalid',
      code: 'agency-name-too-long',
    });
    expect(given(agencyDecider).when({ ...register, name: 'x'.repeat(256) }).result.ok).toBe(true);
  });

  it('records the name and business id without surrounding white space', () => {
    expect(given(agencyDecider).when({ ...register, name: ' Verohallinto ', businessId: ' 0245437-2 ' }).events).toEqual([registered]);
  });
});
