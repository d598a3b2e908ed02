import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../../auth';
import { AgencyMessagesQuery, type AgencyMessageView, type FeedItem } from '../../read/queries/agency-messages.query';
import { RecipientCheck } from '../../read/queries/recipient-check';
import { SendMessageCommand, type SendMessageResult } from '../../write/use-cases/send-message';
import { CancelMessageCommand, type CancelMessageResult } from '../../write/use-cases/cancel-message';
import { sendMessageInput } from '../dto/send-message-input';
import { BulkRecipientsDto, PageQueryDto, RecipientDto, SendMessageDto } from '../dto/agency.dto';
import { pageLimit } from '../limits';
import { notFound } from '../problem';
import { RequestId } from '../request-id.decorator';
import { IdParam } from './params';

@ApiTags('agency')
@ApiBearerAuth()
@Roles('agency')
@Controller('v1/agency')
export class AgencyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly messages: AgencyMessagesQuery,
    private readonly recipients: RecipientCheck,
  ) {}

  @Get('recipients/:hetu')
  async recipient(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { hetu }: RecipientDto): Promise<{ electronic: boolean }> {
    return { electronic: await this.recipients.one(principal.agencyId, hetu) };
  }

  @Post('recipients')
  @HttpCode(200)
  recipientsBulk(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Body() body: BulkRecipientsDto): Promise<{ electronic: string[]; invalid: string[] }> {
    return this.recipients.many(principal.agencyId, body.hetus);
  }

  @Post('messages')
  @HttpCode(201)
  async send(
    @CurrentPrincipal('agency') principal: AgencyPrincipal,
    @Body() body: SendMessageDto,
    @RequestId() requestId?: string,
  ): Promise<Omit<SendMessageResult, 'position'>> {
    const result: SendMessageResult = await this.commands.execute(
      new SendMessageCommand(
        principal,
        sendMessageInput(body),
        requestId,
      ),
    );
    const { position: _position, ...answer } = result;
    return answer;
  }

  @Get('messages')
  sent(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: AgencyMessageView[]; next: string | null }> {
    return this.messages.sent(principal.agencyId, pageLimit(query.limit), query.cursor);
  }

  @Get('messages/:id')
  async message(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam): Promise<AgencyMessageView> {
    const view = await this.messages.message(principal.agencyId, id);
    if (!view) throw notFound('message');
    return view;
  }

  @Delete('messages/:id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a scheduled message before its publishAt',
    description: 'The recipient never sees it; the feed gets `cancelled`. Repeating the call answers 200 with the first cancellation.',
  })
  @ApiResponse({ status: 200, description: '{ id, cancelledAt }' })
  @ApiResponse({ status: 404, description: 'No such message of this agency.' })
  @ApiResponse({ status: 409, description: '`already-published` (publishAt has passed) or `not-scheduled` (the message had no publishAt).' })
  cancel(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam, @RequestId() requestId?: string): Promise<CancelMessageResult> {
    return this.commands.execute(new CancelMessageCommand(principal, id, requestId));
  }

  @Get('events')
  events(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: FeedItem[]; next: string | null }> {
    return this.messages.feed(principal.agencyId, pageLimit(query.limit), query.cursor);
  }
}
