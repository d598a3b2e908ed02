import { createParamDecorator, ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal, Role } from './principal';

/**
 * The request's Principal as a handler parameter: `@CurrentPrincipal() principal: Principal`.
 * With a role, `@CurrentPrincipal('citizen') citizen: CitizenPrincipal` also refuses (403) any
 * other role, which narrows the type for the handler and guards against a forgotten @Roles.
 */
export const CurrentPrincipal = createParamDecorator((role: Role | undefined, context: ExecutionContext): Principal => principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>(), role));

/** The logic of CurrentPrincipal, callable without Nest. */
export function principalOf(request: AuthenticatedRequest, role?: Role): Principal {
  const { principal } = request;
  // No principal means a @Public() route asked for one: answer as for a missing token.
  if (!principal) throw new UnauthorizedException('a bearer token is required');
  if (role !== undefined && principal.role !== role) throw new ForbiddenException(`this call is for role ${role}`);
  return principal;
}
