import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@asiointitili/core';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../../auth';
import { withServiceClock } from '../../identity/service-date';
import { SendBulkCommand, type BulkItemResult } from '../../write/use-cases/send-bulk';
import { bulkItem, BulkSendDto } from '../dto/bulk-send.dto';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { BulkResultsSchema } from '../openapi/response.schemas';
import { RequestId } from '../request-id.decorator';

@ApiTags('agency')
@ApiBearerAuth()
@Roles('agency')
@Controller('v1/agency')
export class AgencyBulkController {
  constructor(private readonly commands: CommandBus, @Inject(CLOCK) private readonly clock: Clock) {}

  @Post('messages/bulk')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send up to 1,000 messages in one request',
    description: 'Answers 200 with one result per item, in order: { index, id?, route?, status, problem? }, status being what a single send would have answered (201, 400, 409, 422, ...).',
  })
  @ApiOkResponse({ type: BulkResultsSchema })
  @ApiProblems({ status: 403, description: 'The agency is not registered.' })
  async sendBulk(
    @CurrentPrincipal('agency') principal: AgencyPrincipal,
    @Body() body: BulkSendDto,
    @RequestId() requestId?: string,
  ): Promise<{ results: BulkItemResult[] }> {
    const results: BulkItemResult[] = await this.commands.execute(new SendBulkCommand(principal, withServiceClock(this.clock, () => body.messages.map(bulkItem)), requestId));
    return { results };
  }
}
