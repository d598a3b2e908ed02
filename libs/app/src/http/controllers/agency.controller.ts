import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../../auth';
import { AgencyMessagesQuery, type AgencyMessageView, type FeedItem } from '../../read/queries/agency-messages.query';
import { RecipientCheck } from '../../read/queries/recipient-check';
import { SendMessageCommand, type SendMessageResult } from '../../write/use-cases/send-message';
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

  @Get('events')
  events(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: FeedItem[]; next: string | null }> {
    return this.messages.feed(principal.agencyId, pageLimit(query.limit), query.cursor);
  }
}
