import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { READ_STORE, type ReadStore } from '@asiointitili/core';
import { CurrentPrincipal, Roles, type CitizenPrincipal } from '../../auth';
import { openContact } from '../../personal-data/contact-details';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../personal-data/personal-data-vault';
import { Collections, type AccountDoc } from '../../read/projections';
import { ProjectionRunner } from '../../read/projections/projection-runner';
import { ActFor } from '../../mandates/act-for';
import { InboxQuery, type InboxItem } from '../../read/queries/inbox.query';
import { ChangeAccountCommand } from '../../write/use-cases/account';
import { AcknowledgeReceiptCommand, OpenMessageCommand, type CitizenMessageView } from '../../write/use-cases/citizen-message';
import { DigitalByDefaultGuard } from '../digital-by-default.guard';
import { InboxQueryDto, OpenAccountDto } from '../dto/citizen.dto';
import { pageLimit } from '../limits';
import { notFound } from '../problem';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AccountSchema, AcknowledgementSchema, CitizenMessageSchema, InboxPageSchema } from '../openapi/response.schemas';
import { RequestId } from '../request-id.decorator';
import { AgencyIdParam, IdParam } from './params';

export interface AccountView {
  readonly status: 'open' | 'closed';
  readonly language?: string;
  readonly email?: string;
  readonly phone?: string;
  /** When the person's contact details were last erased, if ever. */
  readonly personalDataErasedAt?: string;
  readonly paperUntil?: string;
  readonly consents: readonly { readonly agencyId: string; readonly grantedAt: string }[];
}

@ApiTags('citizen')
@ApiBearerAuth()
@Roles('citizen')
@UseGuards(DigitalByDefaultGuard)
@Controller('v1/citizen')
export class CitizenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly inbox: InboxQuery,
    private readonly projections: ProjectionRunner,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  @Post('account')
  @HttpCode(201)
  @ApiOperation({ summary: 'Open the account (or reopen a closed one)' })
  @ApiCreatedResponse({ type: AccountSchema })
  @ApiProblems(409, 422)
  async openAccount(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Body() body: OpenAccountDto, @RequestId() requestId?: string): Promise<AccountView> {
    await this.change(principal, { type: 'open', language: body.language, email: body.email, phone: body.phone }, requestId);
    return this.account(principal);
  }

  @Get('account')
  @ApiOperation({ summary: 'The own account: status, contact details, consents' })
  @ApiOkResponse({ type: AccountSchema })
  @ApiProblems({ status: 404, description: 'No account has been opened.' })
  async account(@CurrentPrincipal('citizen') principal: CitizenPrincipal): Promise<AccountView> {
    const doc = await this.store.get<AccountDoc>(Collections.accounts, principal.citizenRef);
    if (!doc || doc.status === 'never-opened') throw notFound('account');
    // Opened for the owner only; erased (null) shows none. The vault, not the read model, decides:
    // an erasure hides the details at once, before the projection has caught up.
    const contact = (await openContact(this.vault, principal.citizenRef, doc.contact)) ?? {};
    return {
      status: doc.status,
      language: doc.language,
      email: contact.email,
      phone: contact.phone,
      ...(doc.personalDataErasedAt === undefined ? {} : { personalDataErasedAt: doc.personalDataErasedAt }),
      paperUntil: doc.paperUntil,
      consents: Object.entries(doc.consents).map(([agencyId, grantedAt]) => ({ agencyId, grantedAt })),
    };
  }

  @Delete('account')
  @ApiOperation({ summary: 'Close the account (messages already delivered stay; scheduled ones not yet published go on paper)' })
  @ApiOkResponse({ type: AccountSchema })
  @ApiProblems(404, 409, 422)
  async closeAccount(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @RequestId() requestId?: string): Promise<AccountView> {
    await this.change(principal, { type: 'close' }, requestId);
    return this.account(principal);
  }

  @Put('consents/:agencyId')
  @ApiOperation({ summary: 'Consent to electronic delivery from an agency' })
  @ApiOkResponse({ type: AccountSchema })
  @ApiProblems(404, 409, 422)
  async grantConsent(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { agencyId }: AgencyIdParam, @RequestId() requestId?: string): Promise<AccountView> {
    await this.change(principal, { type: 'grant', agencyId }, requestId);
    return this.account(principal);
  }

  @Delete('consents/:agencyId')
  @ApiOperation({ summary: 'Withdraw consent: later messages from the agency, and its scheduled ones not yet published, go on paper' })
  @ApiOkResponse({ type: AccountSchema })
  @ApiProblems(404, 409, 422)
  async revokeConsent(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { agencyId }: AgencyIdParam, @RequestId() requestId?: string): Promise<AccountView> {
    await this.change(principal, { type: 'revoke', agencyId }, requestId);
    return this.account(principal);
  }

  /** The person opts back to paper for six months (renewable), under either delivery policy. */
  @Put('paper-preference')
  @ApiOperation({
    summary: 'Choose paper for six months',
    description:
      'Every message sent while the choice is in force goes to paper (reason opted-out-to-paper), under either policy: under ' +
      '`consent` it wins over the consents given (which stay recorded), under `digital-by-default` over the automatic account. ' +
      'Answers the account with `paperUntil`; 409 when the account is not open.',
  })
  @ApiOkResponse({ type: AccountSchema })
  @ApiProblems(404, 409, 422)
  async choosePaper(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @RequestId() requestId?: string): Promise<AccountView> {
    await this.change(principal, { type: 'choose-paper' }, requestId);
    return this.account(principal);
  }

  @Get('messages')
  @ActFor('read')
  @ApiOperation({ summary: 'The inbox, newest first' })
  @ApiOkResponse({ type: InboxPageSchema })
  async messages(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Query() query: InboxQueryDto): Promise<{ items: InboxItem[]; next: string | null }> {
    return this.inbox.list(principal.citizenRef, query.state, pageLimit(query.limit), query.cursor, { withConfidential: principal.onBehalf === undefined });
  }

  @Get('messages/:id')
  @ActFor('read')
  @ApiOperation({ summary: 'Open a message (recorded as read); a registered one shows its content once acknowledged' })
  @ApiOkResponse({ type: CitizenMessageSchema })
  @ApiProblems({ status: 404, description: 'No such message in this inbox.' })
  openMessage(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { id }: IdParam, @RequestId() requestId?: string): Promise<CitizenMessageView> {
    return this.commands.execute(new OpenMessageCommand(principal, id, requestId));
  }

  @Post('messages/:id/acknowledgement')
  @ActFor('acknowledge')
  @ApiOperation({ summary: 'Acknowledge receipt of a registered message: the moment of service' })
  @ApiCreatedResponse({ type: AcknowledgementSchema, description: 'Acknowledged now.' })
  @ApiOkResponse({ type: AcknowledgementSchema, description: 'A repeat: answers the first acknowledgement\'s time, which never moves.' })
  @ApiProblems({ status: 404, description: 'No such message in this inbox.' }, 409, 422)
  async acknowledge(
    @CurrentPrincipal('citizen') principal: CitizenPrincipal,
    @Param() { id }: IdParam,
    @Res({ passthrough: true }) response: Response,
    @RequestId() requestId?: string,
  ): Promise<{ acknowledgedAt: string }> {
    const result = await this.commands.execute(new AcknowledgeReceiptCommand(principal, id, requestId));
    // A repeat answers 200 with the first time: the moment of service never moves.
    response.status(result.created ? 201 : 200);
    return { acknowledgedAt: result.acknowledgedAt };
  }

  /** Account changes are rare and the citizen looks at the result at once: answer from the updated read model. */
  private async change(principal: CitizenPrincipal, change: ChangeAccountCommand['change'], requestId?: string): Promise<void> {
    await this.projections.readYourWrites(await this.commands.execute(new ChangeAccountCommand(principal, change, requestId)));
  }
}
