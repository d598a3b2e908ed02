import { Body, Controller, Header, HttpCode, Logger, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { TokenResponseSchema } from '../http/openapi/response.schemas';
import { AgencyCredentials } from './agency-credentials';
import { CLIENT_ID_PATTERN } from './client-secret';
import { ClientTokenService } from './client-token-service';
import { TokenRequestDto } from './credentials.dto';
import { SecretCheckBudget } from './secret-check-budget';
import { clientCredentialsOf, oauthProblem } from './token-request';
import { requestLine } from '../process/request-scope';

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/**
 * The client-credentials token endpoint (RFC 6749 §4.4), as Suomi.fi's: an agency's integration
 * trades its client id and secret for a short-lived bearer token. Public by nature: the client
 * credentials are the authentication.
 */
@ApiTags('auth')
@Public()
@Controller('v1/auth')
export class TokenController {
  private readonly logger = new Logger('TokenEndpoint');

  constructor(
    private readonly credentials: AgencyCredentials,
    private readonly tokens: ClientTokenService,
    private readonly budget: SecretCheckBudget,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'Trade an agency\'s client id and secret for a bearer token (OAuth 2.0 client credentials, public)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({
    type: TokenRequestDto,
    examples: { credentials: { value: { grant_type: 'client_credentials', client_id: 'kela.AAAAAAAAAAAAAAAAAAAAAA', client_secret: 'the secret from the issuing answer' } } },
  })
  @ApiOkResponse({ type: TokenResponseSchema })
  @ApiProblems(
    { status: 400, description: 'invalid_request or unsupported_grant_type (`error` says which).' },
    { status: 401, description: 'invalid_client: unknown client, wrong secret, revoked credential or an address outside the allowlist.' },
  )
  @ApiResponse({ status: 429, description: 'slow_down: this address spent its token requests for the minute, or already has SECRET_CHECKS_PER_ADDRESS in progress; Retry-After (problem+json).' })
  @ApiResponse({ status: 503, description: 'temporarily_unavailable (secret-checks-busy): every secret-check place is taken; Retry-After (problem+json).' })
  async token(@Body() body: Record<string, unknown> | undefined, @Req() request: Request): Promise<TokenResponse> {
    const { clientId, clientSecret } = clientCredentialsOf(body, request.headers.authorization);
    // A client id of another shape was never issued: refused at once, without a slow check.
    if (!CLIENT_ID_PATTERN.test(clientId)) throw oauthProblem('invalid_client', 'client authentication failed');
    const outcome = await this.budget.check(request.ip, () => this.credentials.authenticate(clientId, clientSecret, request.ip));
    if (!outcome.ok) {
      // One answer for every failure, so a caller learns nothing about which client ids exist;
      // the reason is for the operators (a client id is not personal data, the secret never logged).
      this.logger.warn(requestLine(request, `token refused for client ${printable(clientId)}: ${outcome.why}`));
      throw oauthProblem('invalid_client', 'client authentication failed');
    }
    const issued = await this.tokens.mint(outcome.agencyId, outcome.clientId);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}

/** A caller-chosen string in a log line: bounded, and without characters that could forge lines. */
function printable(text: string): string {
  return JSON.stringify(text.slice(0, 100));
}
