import { applyDecorators, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@asiointitili/core';
import { actingRefusal, type ActingRefusal, type MandateScope } from '@asiointitili/domain';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { RESOURCE_ID_PATTERN } from '../http/controllers/params';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { notFound, problem, ProblemException } from '../http/problem';
import { MANDATE_LOOKUP, type MandateLookup } from './mandate-register';

export const ACT_FOR_HEADER = 'x-act-for';
const ACT_FOR_SCOPE = Symbol('ACT_FOR_SCOPE');

/**
 * Marks a citizen route that may be called on behalf of another person, with the mandate scope
 * it needs, and documents the `X-Act-For` header and its refusals.
 */
export const ActFor = (scope: MandateScope): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACT_FOR_SCOPE, scope),
    ApiHeader({
      name: 'X-Act-For',
      required: false,
      description: `Act for another person: the id of a mandate (GET /v1/citizen/principals) that gives the caller the \`${scope}\` scope. The trail records the caller as the actor and names the person acted for; the agency feed gets an \`acted-on-behalf\` item for each act recorded.`,
    }),
    ApiProblems(
      { status: 403, description: 'With X-Act-For: the mandate has ended or expired, or lacks the scope this call needs.' },
      { status: 404, description: 'Not found; with X-Act-For also an unknown mandate or one that is not the caller\'s.' },
    ),
  );

const REFUSALS: Readonly<Record<Exclude<ActingRefusal, 'no-mandate'>, string>> = {
  expired: 'the mandate is no longer in force (its validity ended)',
  ended: 'the mandate has been ended',
  'out-of-scope': 'the mandate does not cover this call',
};

/**
 * Global guard after authentication: with `X-Act-For`, a citizen call acts for the mandate's
 * principal. The request's principal then carries the principal's citizenRef (whose messages)
 * and `onBehalf` (the signed-in agent, who is the actor of anything recorded). Refused: a route
 * not marked @ActFor (403), an unknown mandate or another agent's (404: existence is not
 * revealed), one ended or expired or without the scope (403).
 */
@Injectable()
export class ActForGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(MANDATE_LOOKUP) private readonly mandates: MandateLookup,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers?.[ACT_FOR_HEADER];
    if (header === undefined) return true;
    const { principal } = request;
    const scope = this.reflector.get<MandateScope | undefined>(ACT_FOR_SCOPE, context.getHandler());
    if (principal?.role !== 'citizen' || scope === undefined) {
      throw new ProblemException(problem(403, 'not-on-behalf', 'this call cannot be made on behalf of another person (X-Act-For)'));
    }
    if (principal.onBehalf !== undefined) throw new ProblemException(problem(403, 'not-on-behalf', 'a call acts for one person at most'));
    const mandateId = typeof header === 'string' ? header.trim() : '';
    if (!RESOURCE_ID_PATTERN.test(mandateId)) throw notFound('mandate');
    const mandate = await this.mandates.byId(mandateId);
    if (mandate === undefined || mandate.mandate.agentRef !== principal.citizenRef) throw notFound('mandate');
    const refusal = actingRefusal([mandate], principal.citizenRef, mandate.mandate.principalRef, scope, this.clock.now().toISOString());
    if (refusal === 'no-mandate') throw notFound('mandate');
    if (refusal !== undefined) throw new ProblemException(problem(403, `mandate-${refusal}`, REFUSALS[refusal]));
    request.principal = {
      ...principal,
      citizenRef: mandate.mandate.principalRef,
      onBehalf: { agentRef: principal.citizenRef, mandateId, relation: mandate.mandate.relation },
    };
    return true;
  }
}
