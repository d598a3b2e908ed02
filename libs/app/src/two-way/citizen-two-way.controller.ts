import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type CitizenPrincipal } from '../auth';
import { IdParam } from '../http/controllers/params';
import { PageQueryDto } from '../http/dto/common.dto';
import { ReplyDto, SubmitApplicationDto } from '../http/dto/citizen.dto';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { ApplicationPageSchema, ApplicationSchema, CreatedIdSchema, ThreadSchema } from '../http/openapi/response.schemas';
import { RequestId } from '../http/request-id.decorator';
import { pageLimit } from '../http/limits';
import { ActFor } from '../mandates/act-for';
import { notFound } from '../http/problem';
import { ApplicationsQuery } from './applications.query';
import { SendReplyCommand, type SendReplyResult } from './send-reply';
import { ProjectionRunner } from '../read/projections/projection-runner';
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
    private readonly projections: ProjectionRunner,
  ) {}

  @Post('applications')
  @ActFor('apply')
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit an application to an agency' })
  @ApiBody({ type: SubmitApplicationDto, examples: { housing: { value: { agencyId: 'kela', subject: 'Asumistukihakemus', body: 'Haen asumistukea 1.3.2026 alkaen.' } } } })
  @ApiCreatedResponse({ type: CreatedIdSchema })
  @ApiProblems({ status: 404, description: 'No such agency, or no account.' }, 409, 422)
  async submit(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Body() body: SubmitApplicationDto, @RequestId() requestId?: string): Promise<{ id: string }> {
    const result: SubmitApplicationResult = await this.commands.execute(
      new SubmitApplicationCommand(principal, { agencyId: body.agencyId, subject: body.subject, body: body.body, attachments: body.attachments ?? [] }, requestId),
    );
    // The person's next step is to open the application's thread: answer once it can be read (or
    // after the usual short wait), as the account changes do. With the worker in another process
    // the read models follow a moment behind, and the thread would be a 404 at first.
    await this.projections.readYourWrites(result.position);
    return { id: result.id };
  }

  @Get('applications')
  @ActFor('read')
  @ApiOperation({ summary: 'The own applications, newest first' })
  @ApiOkResponse({ type: ApplicationPageSchema })
  list(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Query() query: PageQueryDto): Promise<{ items: ApplicationSummary[]; next: string | null }> {
    return this.applications.list({ citizenRef: principal.citizenRef }, pageLimit(query.limit), query.cursor);
  }

  @Get('applications/:id')
  @ActFor('read')
  @ApiOperation({ summary: 'One of the own applications' })
  @ApiOkResponse({ type: ApplicationSchema })
  @ApiProblems({ status: 404, description: 'No such application of yours.' })
  async application(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { id }: IdParam): Promise<ApplicationView> {
    const view = await this.applications.one({ citizenRef: principal.citizenRef }, id);
    if (!view) throw notFound('application');
    return view;
  }

  @Post('messages/:id/replies')
  @ActFor('reply')
  @HttpCode(201)
  @ApiOperation({ summary: 'Reply to a message that allows replies' })
  @ApiCreatedResponse({ type: CreatedIdSchema })
  @ApiProblems({ status: 404, description: 'No such message in this inbox.' }, 409, { status: 422, description: 'The message does not allow replies, or an attachment is not yours.' })
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
  @ApiOperation({ summary: 'A conversation in time order, named by its root or any of its items' })
  @ApiOkResponse({ type: ThreadSchema })
  @ApiProblems({ status: 404, description: 'No such thread of yours.' })
  async thread(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @Param() { id }: IdParam, @Query() query: PageQueryDto): Promise<ThreadView> {
    const view = await this.threads.thread({ citizenRef: principal.citizenRef }, id, pageLimit(query.limit), query.cursor);
    if (!view) throw notFound('thread');
    return view;
  }
}
