import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { agencyDecider, agencyStream, isActiveCredential } from '@asiointitili/domain';
import { CurrentPrincipal, Roles, type Principal } from '../auth';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { CredentialsSchema, IpAllowlistSchema, IssuedCredentialSchema, RevokedCredentialSchema } from '../http/openapi/response.schemas';
import { RequestId } from '../http/request-id.decorator';
import { CommandExecutor } from '../write/command-executor';
import { IssueCredentialCommand, RevokeCredentialCommand, SetIpAllowlistCommand, type IssuedCredential, type RevokedCredential } from './credential-commands';
import { AgencyPathParam, CredentialPathParam, IpAllowlistDto } from './credentials.dto';

export interface CredentialView {
  readonly clientId: string;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  readonly active: boolean;
}

/** Admins manage agencies' machine credentials and allowlists. No answer but the issuing one ever holds a secret. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/agencies')
export class CredentialsController {
  constructor(private readonly commands: CommandBus, private readonly executor: CommandExecutor) {}

  /** Issues a client id and secret; the secret is in this answer only. An older credential stays valid until revoked (rotation with overlap). */
  @Post(':id/credentials')
  @HttpCode(201)
  @ApiOperation({ summary: 'Issue a client id and secret for an agency (the secret is in this answer only)' })
  @ApiCreatedResponse({ type: IssuedCredentialSchema })
  @ApiProblems({ status: 404, description: 'No such agency.' }, 409, 422)
  @Header('Cache-Control', 'no-store')
  issue(@CurrentPrincipal() principal: Principal, @Param() { id }: AgencyPathParam, @RequestId() requestId?: string): Promise<IssuedCredential> {
    return this.commands.execute(new IssueCredentialCommand(principal, id, requestId));
  }

  @Get(':id/credentials')
  @ApiOperation({ summary: 'An agency\'s credentials (never their secrets) and IP allowlist' })
  @ApiOkResponse({ type: CredentialsSchema })
  @ApiProblems({ status: 404, description: 'No such agency.' })
  async list(@Param() { id }: AgencyPathParam): Promise<{ items: CredentialView[]; ipAllowlist: readonly string[] }> {
    const { state } = await this.executor.load(agencyStream(id), agencyDecider);
    if (!state.registered) throw notFound('agency');
    return {
      items: state.credentials.map((c) => ({ clientId: c.clientId, issuedAt: c.issuedAt, ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}), active: isActiveCredential(c) })),
      ipAllowlist: state.ipAllowlist,
    };
  }

  /** Revokes one credential: its token requests and the tokens already issued for it stop working. */
  @Delete(':id/credentials/:clientId')
  @ApiOperation({ summary: 'Revoke a credential: its tokens stop working' })
  @ApiOkResponse({ type: RevokedCredentialSchema })
  @ApiProblems({ status: 404, description: 'No such agency or credential.' }, 409, 422)
  revoke(@CurrentPrincipal() principal: Principal, @Param() { id, clientId }: CredentialPathParam, @RequestId() requestId?: string): Promise<RevokedCredential> {
    return this.commands.execute(new RevokeCredentialCommand(principal, id, clientId, requestId));
  }

  @Put(':id/ip-allowlist')
  @ApiOperation({ summary: 'Set the networks an agency\'s integration may call from' })
  @ApiOkResponse({ type: IpAllowlistSchema })
  @ApiProblems({ status: 404, description: 'No such agency.' }, 409, 422)
  setIpAllowlist(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: AgencyPathParam,
    @Body() body: IpAllowlistDto,
    @RequestId() requestId?: string,
  ): Promise<{ cidrs: readonly string[] }> {
    return this.commands.execute(new SetIpAllowlistCommand(principal, id, body.cidrs, requestId));
  }
}
