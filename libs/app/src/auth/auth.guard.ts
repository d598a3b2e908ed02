import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError } from './auth-error';
import type { AuthenticatedRequest } from './authenticated-request';
import { bearerTokenOf } from './bearer-token';
import type { Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { ROLES_METADATA } from './roles.decorator';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

/** The part of an HTTP response the guard touches. */
interface ChallengeableResponse {
  setHeader?(name: string, value: string): unknown;
}

/**
 * The global guard (register with `{ provide: APP_GUARD, useClass: AuthGuard }`): every route
 * needs a valid bearer token unless marked @Public(). It sets `request.principal`, then applies
 * @Roles. A refused token answers 401 with a `WWW-Authenticate` challenge (RFC 6750); a wrong
 * role answers 403.
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
      request.principal = await this.verifier.verify(bearerTokenOf(request.headers.authorization));
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      challenge(http.getResponse<ChallengeableResponse>(), error);
      throw new UnauthorizedException(`${error.message} (${error.reason})`);
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
