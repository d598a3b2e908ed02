import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../../auth';
import { AgencyMessagesQuery, type AgencyMessageView, type FeedItem } from '../../read/queries/agency-messages.query';
import { RecipientCheck } from '../../read/queries/recipient-check';
import { SendMessageCommand, type SendMessageResult } from '../../write/use-cases/send-message';
import { CancelMessageCommand, type CancelMessageResult } from '../../write/use-cases/cancel-message';
import { sendMessageInput } from '../dto/send-message-input';
import { BulkRecipientsDto, PageQueryDto, RecipientDto, SendMessageDto } from '../dto/agency.dto';
import { pageLimit } from '../limits';
import { notFound } from '../problem';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AgencyMessagePageSchema, AgencyMessageSchema, CancelledMessageSchema, FeedPageSchema, RecipientCheckSchema, RecipientsCheckSchema, SendResultSchema } from '../openapi/response.schemas';
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
  @ApiOperation({ summary: 'Would a message to this person now be delivered electronically?' })
  @ApiOkResponse({ type: RecipientCheckSchema })
  async recipient(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { hetu }: RecipientDto): Promise<{ electronic: boolean }> {
    return { electronic: await this.recipients.one(principal.agencyId, hetu) };
  }

  @Post('recipients')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check up to 10,000 recipients at once' })
  @ApiOkResponse({ type: RecipientsCheckSchema })
  @ApiBody({ type: BulkRecipientsDto, examples: { two: { value: { hetus: ['131052-308T', '010101-123N'] } } } })
  recipientsBulk(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Body() body: BulkRecipientsDto): Promise<{ electronic: string[]; invalid: string[] }> {
    return this.recipients.many(principal.agencyId, body.hetus);
  }

  @Post('messages')
  @HttpCode(201)
  @ApiOperation({ summary: 'Send a message (electronically or, failing that, on paper)' })
  @ApiBody({
    type: SendMessageDto,
    examples: {
      registered: {
        summary: 'A registered decision',
        value: {
          recipient: { hetu: '131052-308T' },
          kind: 'decision',
          delivery: 'registered',
          subject: 'Päätös asumistuesta',
          body: 'Teille on myönnetty asumistukea 1.3.2026 alkaen.',
          replyAllowed: true,
          externalId: 'kela-2026-000123',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: SendResultSchema })
  @ApiProblems(
    { status: 403, description: 'The agency is not registered, or the token may not send.' },
    { status: 404, description: 'inReplyTo names no application or message of this agency.' },
    { status: 409, description: 'The externalId was used before: `id` is the original message.' },
    { status: 422, description: 'Refused by a rule (e.g. an attachment that is not yours or not uploaded).' },
  )
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
  @ApiOperation({ summary: 'Sent messages, newest first' })
  @ApiOkResponse({ type: AgencyMessagePageSchema })
  sent(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: AgencyMessageView[]; next: string | null }> {
    return this.messages.sent(principal.agencyId, pageLimit(query.limit), query.cursor);
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'A sent message with its state and trail' })
  @ApiOkResponse({ type: AgencyMessageSchema })
  @ApiProblems({ status: 404, description: 'No such message, or another agency sent it.' })
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
  @ApiOkResponse({ type: CancelledMessageSchema })
  @ApiResponse({ status: 404, description: 'No such message of this agency.' })
  @ApiResponse({ status: 409, description: '`already-published` (publishAt has passed) or `not-scheduled` (the message had no publishAt).' })
  cancel(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam, @RequestId() requestId?: string): Promise<CancelMessageResult> {
    return this.commands.execute(new CancelMessageCommand(principal, id, requestId));
  }

  @Get('events')
  @ApiOperation({ summary: 'The agency\'s feed of events, in log order (resume with the last cursor)' })
  @ApiOkResponse({ type: FeedPageSchema })
  events(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Query() query: PageQueryDto): Promise<{ items: FeedItem[]; next: string | null }> {
    return this.messages.feed(principal.agencyId, pageLimit(query.limit), query.cursor);
  }
}
