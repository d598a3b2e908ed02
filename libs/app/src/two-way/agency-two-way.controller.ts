import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../auth';
import { IdParam } from '../http/controllers/params';
import { PageQueryDto } from '../http/dto/common.dto';
import { pageLimit } from '../http/limits';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { ApplicationPageSchema, ApplicationSchema, ThreadSchema } from '../http/openapi/response.schemas';
import { notFound } from '../http/problem';
import { ApplicationsQuery } from './applications.query';
import { ThreadsQuery, type ThreadView } from './threads.query';
import type { ApplicationSummary, ApplicationView } from './views';

/** The agency's side of the two-way channel: applications addressed to it, and threads. */
@ApiTags('agency')
@ApiBearerAuth()
@Roles('agency')
@Controller('v1/agency')
export class AgencyTwoWayController {
  constructor(
    private readonly applications: ApplicationsQuery,
    private readonly threads: ThreadsQuery,
  ) {}

  @Get('applications')
  @ApiOperation({ summary: 'Applications addressed to the agency, newest first' })
  @ApiOkResponse({ type: ApplicationPageSchema })
  list(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: ApplicationSummary[]; next: string | null }> {
    return this.applications.list({ agencyId: principal.agencyId }, pageLimit(query.limit), query.cursor);
  }

  @Get('applications/:id')
  @ApiOperation({ summary: 'One application addressed to the agency' })
  @ApiOkResponse({ type: ApplicationSchema })
  @ApiProblems({ status: 404, description: 'No such application addressed to this agency.' })
  async application(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam): Promise<ApplicationView> {
    const view = await this.applications.one({ agencyId: principal.agencyId }, id);
    if (!view) throw notFound('application');
    return view;
  }

  @Get('threads/:id')
  @ApiOperation({ summary: 'A conversation in time order, named by its root or any of its items' })
  @ApiOkResponse({ type: ThreadSchema })
  @ApiProblems({ status: 404, description: 'No such thread of this agency.' })
  async thread(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam, @Query() query: PageQueryDto): Promise<ThreadView> {
    const view = await this.threads.thread({ agencyId: principal.agencyId }, id, pageLimit(query.limit), query.cursor);
    if (!view) throw notFound('thread');
    return view;
  }
}
