import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, ForbiddenException, Get, UnauthorizedException, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { KeyRing } from '../keys/key-ring';
import { CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { AuthGuard } from './auth.guard';
import type { AuthenticatedRequest } from './authenticated-request';
import { bearerTokenOf } from './bearer-token';
import { CurrentPrincipal } from './current-principal.decorator';
import type { CitizenPrincipal, Principal } from './principal';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';
import { TokenService } from './token-service';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

@Controller('v1')
class ProbeController {
  @Public()
  @Get('keys')
  keys(): { keys: [] } {
    return { keys: [] };
  }

  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('citizen')
  @Get('citizen/account')
  account(@CurrentPrincipal('citizen') citizen: CitizenPrincipal): { citizenRef: string } {
    return { citizenRef: citizen.citizenRef };
  }

  /** No @Roles: the role-narrowing parameter decorator alone must still refuse other roles. */
  @Get('citizen/unguarded')
  unguarded(@CurrentPrincipal('citizen') citizen: CitizenPrincipal): { citizenRef: string } {
    return { citizenRef: citizen.citizenRef };
  }

  /** A public route that asks for a principal anyway. */
  @Public()
  @Get('public-whoami')
  publicWhoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Roles('auditor', 'admin')
@Controller('v1/audit')
class AuditProbeController {
  @Get('verify')
  verify(): { ok: true } {
    return { ok: true };
  }

  @Roles('admin')
  @Get('admin-only')
  adminOnly(): { ok: true } {
    return { ok: true };
  }
}

@Public()
@Controller('health')
class HealthProbeController {
  @Get()
  health(): { status: 'up' } {
    return { status: 'up' };
  }
}

describe('AuthGuard', () => {
  let dataDir: string;
  let tokens: TokenService;
  let refs: CitizenRefs;
  let app: INestApplication;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'asiointitili-guard-'));
    refs = CitizenRefs.fromSecret(randomBytes(32));
    tokens = new TokenService(await KeyRing.open(dataDir), refs);
    const moduleRef = await Test.createTestingModule({
      controllers: [ProbeController, AuditProbeController, HealthProbeController],
      providers: [
        { provide: TOKEN_VERIFIER, useValue: tokens },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const bearer = (token: string): string => `Bearer ${token}`;

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const response = await request(app.getHttpServer()).get('/v1/whoami').expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="asiointitili"');
    expect(response.body.message).toMatch(/bearer token is required \(missing\)/);
  });

  it('answers 401 invalid_token, naming the reason, for a token it does not accept', async () => {
    const expired = await new TokenService(await KeyRing.open(dataDir), refs, { now: () => new Date(Date.now() - 13 * 3600_000) }).mint({ role: 'admin' });
    const response = await request(app.getHttpServer()).get('/v1/whoami').set('Authorization', bearer(expired)).expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="asiointitili", error="invalid_token"');
    expect(response.body.message).toMatch(/\(expired\)/);
  });

  it('answers 401 for an Authorization header of another scheme', async () => {
    const response = await request(app.getHttpServer()).get('/v1/whoami').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
    expect(response.body.message).toMatch(/\(malformed\)/);
  });

  it('puts the verified principal on the request', async () => {
    const token = await tokens.mint({ role: 'agency', agency: 'kela' });
    const response = await request(app.getHttpServer()).get('/v1/whoami').set('Authorization', bearer(token)).expect(200);
    expect(response.body).toEqual({ role: 'agency', agencyId: 'kela' });
  });

  it('accepts the scheme name in any letter case', async () => {
    const token = await tokens.mint({ role: 'admin' });
    await request(app.getHttpServer()).get('/v1/whoami').set('Authorization', `bearer ${token}`).expect(200);
  });

  it('lets a @Public() route through without a token, and ignores a bad token there', async () => {
    await request(app.getHttpServer()).get('/v1/keys').expect(200, { keys: [] });
    await request(app.getHttpServer()).get('/v1/keys').set('Authorization', 'Bearer nonsense').expect(200);
  });

  it('lets every route of a @Public() controller through', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'up' });
  });

  it('answers 401, not 500, when a public route asks for a principal that is not there', async () => {
    await request(app.getHttpServer()).get('/v1/public-whoami').expect(401);
  });

  it('lets a role listed in @Roles through', async () => {
    const token = await tokens.mint({ role: 'citizen', hetu: '131052-308T' });
    await request(app.getHttpServer())
      .get('/v1/citizen/account')
      .set('Authorization', bearer(token))
      .expect(200, { citizenRef: refs.refOf('131052-308T') });
  });

  it('answers 403 to a valid token whose role @Roles does not list', async () => {
    const token = await tokens.mint({ role: 'agency', agency: 'kela' });
    const response = await request(app.getHttpServer()).get('/v1/citizen/account').set('Authorization', bearer(token)).expect(403);
    expect(response.body.message).toMatch(/role agency may not make this call/);
  });

  it('answers 403 from @CurrentPrincipal(role) even where @Roles was forgotten', async () => {
    const token = await tokens.mint({ role: 'auditor' });
    await request(app.getHttpServer()).get('/v1/citizen/unguarded').set('Authorization', bearer(token)).expect(403);
  });

  it('applies a controller-wide @Roles, and lets a method @Roles replace it', async () => {
    const auditor = await tokens.mint({ role: 'auditor' });
    const admin = await tokens.mint({ role: 'admin' });
    await request(app.getHttpServer()).get('/v1/audit/verify').set('Authorization', bearer(auditor)).expect(200);
    await request(app.getHttpServer()).get('/v1/audit/verify').set('Authorization', bearer(admin)).expect(200);
    await request(app.getHttpServer()).get('/v1/audit/admin-only').set('Authorization', bearer(auditor)).expect(403);
    await request(app.getHttpServer()).get('/v1/audit/admin-only').set('Authorization', bearer(admin)).expect(200);
  });

  it('checks the token before the role: a bad token on a role-restricted route is 401, not 403', async () => {
    await request(app.getHttpServer()).get('/v1/audit/verify').expect(401);
  });
});

describe('AuthGuard.canActivate', () => {
  const contextFor = (req: AuthenticatedRequest): ExecutionContext => {
    const handler = (): void => undefined;
    class SomeController {}
    return {
      getHandler: () => handler,
      getClass: () => SomeController,
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}), getNext: () => undefined }),
    } as unknown as ExecutionContext;
  };

  it('lets an internal failure of the verifier through unchanged, so it is not disguised as a 401', async () => {
    const failure = new Error('disk on fire');
    const verifier: TokenVerifier = { verify: () => Promise.reject(failure) };
    const guard = new AuthGuard(new Reflector(), verifier);
    await expect(guard.canActivate(contextFor({ headers: { authorization: 'Bearer abc' } }))).rejects.toBe(failure);
  });

  it('answers 403, not 401, to a citizen identified below level of assurance substantial', async () => {
    const verifier: TokenVerifier = { verify: () => Promise.reject(new AuthError('insufficient-assurance', 'too weak')) };
    const guard = new AuthGuard(new Reflector(), verifier);
    await expect(guard.canActivate(contextFor({ headers: { authorization: 'Bearer abc' } }))).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('answers 403 to a citizen principal whose level of assurance is not substantial or high, whichever verifier let it through', async () => {
    const weak = { role: 'citizen', hetu: '131052-308T', citizenRef: 'c_x', acr: 'low', amr: 'bank' } as unknown as Principal;
    const guard = new AuthGuard(new Reflector(), { verify: () => Promise.resolve(weak) });
    await expect(guard.canActivate(contextFor({ headers: { authorization: 'Bearer abc' } }))).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('turns every other AuthError into an UnauthorizedException', async () => {
    const verifier: TokenVerifier = { verify: () => Promise.reject(new AuthError('wrong-audience', 'not for us')) };
    const guard = new AuthGuard(new Reflector(), verifier);
    await expect(guard.canActivate(contextFor({ headers: { authorization: 'Bearer abc' } }))).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('hands the verifier the token without the scheme, and undefined when there is no header', async () => {
    const seen: Array<string | undefined> = [];
    const verifier: TokenVerifier = {
      verify: (token) => {
        seen.push(token);
        return Promise.resolve({ role: 'admin', subject: 'x' });
      },
    };
    const guard = new AuthGuard(new Reflector(), verifier);
    const withToken: AuthenticatedRequest = { headers: { authorization: 'Bearer abc.def.ghi' } };
    await expect(guard.canActivate(contextFor(withToken))).resolves.toBe(true);
    expect(withToken.principal).toEqual({ role: 'admin', subject: 'x' });
    await guard.canActivate(contextFor({ headers: {} }));
    expect(seen).toEqual(['abc.def.ghi', undefined]);
  });
});

describe('bearerTokenOf', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
  ])('reads the token of %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it('answers undefined when there is no header', () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer a b', 'abc.def.ghi', 'Bearer a\u0000b'])('refuses %j as malformed', (header) => {
    expect(() => bearerTokenOf(header)).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it('refuses several Authorization headers as malformed', () => {
    expect(() => bearerTokenOf(['Bearer a', 'Bearer b'])).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });
});
