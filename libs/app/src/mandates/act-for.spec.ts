import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ManualClock } from '@asiointitili/core';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import type { CitizenPrincipal, Principal } from '../auth/principal';
import { ProblemException } from '../http/problem';
import { ActFor, ActForGuard } from './act-for';
import type { Mandate, MandateLookup } from './mandate-register';

class Probe {
  @ActFor('read')
  read(): void {}

  @ActFor('acknowledge')
  acknowledge(): void {}

  account(): void {}
}

const AGENT: CitizenPrincipal = { role: 'citizen', hetu: '131052-308T', citizenRef: 'c_agent', acr: 'high', amr: 'bank' };
const mandate = (overrides: Partial<Mandate['mandate']> = {}, endedAt?: string): Mandate => ({
  exists: true,
  mandate: { mandateId: 'md-1', principalRef: 'c_child', agentRef: 'c_agent', relation: 'mandate', scopes: ['read'], recordedAt: '2026-12-01T10:00:00.000Z', ...overrides },
  ...(endedAt === undefined ? {} : { endedAt }),
});

function lookupOf(...mandates: Mandate[]): MandateLookup {
  return {
    byId: async (id) => mandates.find((m) => m.mandate.mandateId === id),
    heldBy: async (agentRef) => mandates.filter((m) => m.mandate.agentRef === agentRef),
  };
}

async function check(
  lookup: MandateLookup,
  handler: keyof Probe,
  headers: Record<string, string>,
  principal: Principal = AGENT,
): Promise<{ outcome: 'passed'; principal: Principal | undefined } | { outcome: 'refused'; status: number; type: string }> {
  const request: AuthenticatedRequest = { headers, principal };
  const context = { switchToHttp: () => ({ getRequest: () => request }), getHandler: () => Probe.prototype[handler], getClass: () => Probe } as unknown as ExecutionContext;
  const guard = new ActForGuard(new Reflector(), lookup, new ManualClock('2026-12-07T10:00:00.000Z'));
  try {
    await guard.canActivate(context);
    return { outcome: 'passed', principal: request.principal };
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return { outcome: 'refused', status: error.problem.status, type: error.problem.type.replace('urn:asiointitili:problem:', '') };
  }
}

describe('X-Act-For guard', () => {
  it('leaves a call without the header as it is', async () => {
    expect(await check(lookupOf(), 'account', {})).toEqual({ outcome: 'passed', principal: AGENT });
  });

  it('acts for the principal within scope: their citizenRef, the signed-in agent kept as onBehalf', async () => {
    expect(await check(lookupOf(mandate()), 'read', { 'x-act-for': 'md-1' })).toEqual({
      outcome: 'passed',
      principal: { ...AGENT, citizenRef: 'c_child', onBehalf: { agentRef: 'c_agent', mandateId: 'md-1', relation: 'mandate' } },
    });
  });

  it.each([
    ['an unknown mandate', lookupOf(), 'read', 'md-1', 404, 'not-found'],
    ['a malformed id', lookupOf(mandate()), 'read', 'md 1/..', 404, 'not-found'],
    ['another agent\'s mandate', lookupOf(mandate({ agentRef: 'c_other' })), 'read', 'md-1', 404, 'not-found'],
    ['a mandate without the scope', lookupOf(mandate()), 'acknowledge', 'md-1', 403, 'mandate-out-of-scope'],
    ['an ended mandate', lookupOf(mandate({}, '2026-12-05T10:00:00.000Z')), 'read', 'md-1', 403, 'mandate-ended'],
    ['a mandate past its last day', lookupOf(mandate({ validUntil: '2026-12-06' })), 'read', 'md-1', 403, 'mandate-expired'],
    ['a guardian\'s on the 18th birthday', lookupOf(mandate({ relation: 'guardian', principalBornOn: '2008-12-07' })), 'read', 'md-1', 403, 'mandate-expired'],
    ['a route that cannot be called on behalf', lookupOf(mandate()), 'account', 'md-1', 403, 'not-on-behalf'],
  ] as const)('refuses %s', async (_what, lookup, handler, id, status, type) => {
    expect(await check(lookup, handler, { 'x-act-for': id })).toEqual({ outcome: 'refused', status, type });
  });

  it('refuses the header on a call by an agency', async () => {
    expect(await check(lookupOf(mandate()), 'read', { 'x-act-for': 'md-1' }, { role: 'agency', agencyId: 'kela' })).toEqual({ outcome: 'refused', status: 403, type: 'not-on-behalf' });
  });
});
