import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { ProblemException, problem } from '../http/problem';
import { AgencyCredentials } from './agency-credentials';

/**
 * Runs after the AuthGuard: an agency with an IP allowlist is served only from those networks,
 * whatever its token, so a token stolen from the integration is of no use elsewhere. Agencies
 * without an allowlist, and every other role, pass.
 */
@Injectable()
export class AgencyNetworkGuard implements CanActivate {
  constructor(private readonly credentials: AgencyCredentials) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { ip?: string }>();
    const principal = request.principal;
    if (principal?.role !== 'agency') return true;
    if (await this.credentials.allows(principal.agencyId, request.ip)) return true;
    throw new ProblemException(problem(403, 'address-not-allowed', 'This agency may call only from the networks on its allowlist.'));
  }
}
