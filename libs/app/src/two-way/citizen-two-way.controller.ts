import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type CitizenPrincipal } from '../auth';
import { IdParam } from '../http/controllers/params';
import { PageQueryDto } from '../http/dto/common.dto';
import { ReplyDto, SubmitApplicationDto } from '../http/dto/citizen.dto';
import { RequestId } from '../http/request-id.decorator';
import { pageLimit } from '../http/limits';
import { notFound } from '../http/problem';
import { ApplicationsQuery } from './applications.query';
import { SendReplyCommand, type SendReplyResult } from './send-reply';
import { SubmitApplicationCommand, type SubmitApplicationResult } from './submit-application';
import { ThreadsQuery, type ThreadView } from './threads.query';
import type { ApplicationSummary, ApplicationView } from './views';

/** The citizen's side of the two-way channel: applications, replies and threads. */
@ApiTags('citizen')
@ApiBearerAuth()
@Roles('citizen')
@Controller('v1/citizen')
export class CitizenTwoWayController {
  constructor(
    private readonly commands: CommandBus,
    private readonly applications: ApplicationsQuery,
    private readonly threads: ThreadsQuery,
  ) {}

  @Post('applications')
  @HttpCode(201)
  async submit(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Body() body: SubmitApplicationDto, @RequestId() requestId?: string): Promise<{ id: string }> {
    const result: SubmitApplicationResult = await this.commands.execute(
      new SubmitApplicationCommand(principal, { agencyId: body.agencyId, subject: body.subject, body: body.body, attachments: body.attachments ?? [] }, requestId),
    );
    return { id: result.id };
  }

  @Get('applications')
  list(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Query() query: PageQueryDto): Promise<{ items: ApplicationSummary[]; next: string | null }> {
    return this.applications.list({ citizenRef: principal.citizenRef }, pageLimit(query.limit), query.cursor);
  }

  @Get('applications/:id')
  async application(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { id }: IdParam): Promise<ApplicationView> {
    const view = await this.applications.one({ citizenRef: principal.citizenRef }, id);
    if (!view) throw notFound('application');
    return view;
  }

  @Post('messages/:id/replies')
  @HttpCode(201)
  async reply(
    @CurrentPrincipal('citizen') principal: CitizenPrincipal,
    @Param() { id }: IdParam,
    @Body() body: ReplyDto,
    @RequestId() requestId?: string,
  ): Promise<{ id: string }> {
    const result: SendReplyResult = await this.commands.execute(new SendReplyCommand(principal, id, { body: body.body, attachments: body.attachments ?? [] }, requestId));
    return { id: result.id };
  }

  @Get('threads/:id')
  async thread(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { id }: IdParam, @Query() query: PageQueryDto): Promise<ThreadView> {
    const view = await this.threads.thread({ citizenRef: principal.citizenRef }, id, pageLimit(query.limit), query.cursor);
    if (!view) throw notFound('thread');
    return view;
  }
}
