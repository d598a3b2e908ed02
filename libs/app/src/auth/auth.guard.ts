import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError } from './auth-error';
import type { AuthenticatedRequest } from './authenticated-request';
import { isAcr, type Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { ROLES_METADATA } from './roles.decorator';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';
import { verifiedPrincipalOf } from './verified-principal';

/** The part of an HTTP response the guard touches. */
interface ChallengeableResponse {
  setHeader?(name: string, value: string): unknown;
}

/**
 * The global guard (register with `{ provide: APP_GUARD, useClass: AuthGuard }`): every route
 * needs a valid bearer token unless marked @Public(). It sets `request.principal`, then applies
 * @Roles. A refused token answers 401 with a `WWW-Authenticate` challenge (RFC 6750); a wrong
 * role, or a citizen identified below level of assurance substantial, answers 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    try {
      request.principal = await verifiedPrincipalOf(request, this.verifier);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // A valid identity that signed in too weakly: known, but not allowed (API.md: 403 for the level of assurance).
      if (error.reason === 'insufficient-assurance') throw new ForbiddenException(`${error.message} (${error.reason})`);
      challenge(http.getResponse<ChallengeableResponse>(), error);
      throw new UnauthorizedException(`${error.message} (${error.reason})`);
    }

    // Every verifier maps a weak sign-in to insufficient-assurance already; this holds for any future one too.
    if (request.principal.role === 'citizen' && !isAcr(request.principal.acr)) {
      throw new ForbiddenException('citizen calls need identification at level of assurance substantial or high (insufficient-assurance)');
    }

    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_METADATA, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ForbiddenException(`role ${request.principal.role} may not make this call`);
    }
    return true;
  }
}

/** RFC 6750 §3: a missing token gets a bare challenge, a bad one says invalid_token. */
function challenge(response: ChallengeableResponse, error: AuthError): void {
  response.setHeader?.('WWW-Authenticate', error.reason === 'missing' ? 'Bearer realm="asiointitili"' : 'Bearer realm="asiointitili", error="invalid_token"');
}
