import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_APPEAL_PERIOD_DAYS, MAX_NOTICE_TEXT } from '@asiointitili/domain';
import { MAX_BODY, MAX_BULK_RECIPIENTS, MAX_SUBJECT } from '../limits';
import { AbsentOrValid, AttachmentIds, PageQueryDto } from './common.dto';
import { IsBodyText, IsCalendarDate, IsHetu, IsIsoInstant, IsLineText } from './validators';

export class RecipientDto {
  @ApiProperty({ example: '131052-308T', description: 'Personal identity code (henkilötunnus), checksum-validated.' })
  @IsHetu()
  readonly hetu!: string;
}

export class NoticeTextDto {
  @ApiPropertyOptional({ maxLength: MAX_NOTICE_TEXT, example: 'Kela on lähettänyt sinulle päätöksen Asiointitiliin.' })
  @AbsentOrValid()
  @IsString()
  @Length(1, MAX_NOTICE_TEXT)
  readonly fi?: string;

  @ApiPropertyOptional({ maxLength: MAX_NOTICE_TEXT })
  @AbsentOrValid()
  @IsString()
  @Length(1, MAX_NOTICE_TEXT)
  readonly sv?: string;

  @ApiPropertyOptional({ maxLength: MAX_NOTICE_TEXT })
  @AbsentOrValid()
  @IsString()
  @Length(1, MAX_NOTICE_TEXT)
  readonly en?: string;
}

export class NotificationDto {
  @ApiProperty({ description: 'false: no reminders for this message (unread, unacknowledged, reply-by); the arrival notice still goes out.' })
  @IsBoolean()
  readonly reminders!: boolean;

  @ApiPropertyOptional({
    type: NoticeTextDto,
    description:
      'The notice’s own text per language, used in the recipient’s language in place of the standard one. Plain text only: a link, ' +
      'a web or email address, or the message’s subject or content is refused (422 invalid-notification).',
  })
  @AbsentOrValid()
  @IsObject()
  @ValidateNested()
  @Type(() => NoticeTextDto)
  readonly text?: NoticeTextDto;
}

export class SendMessageDto {
  @ApiPropertyOptional({
    type: RecipientDto,
    description: 'Required unless inReplyTo names an application or message of this agency: then the recipient is that thread\'s citizen.',
  })
  // Optional only in a thread: an agency answering an application knows no henkilötunnus.
  @ValidateIf((dto: SendMessageDto) => dto.inReplyTo === undefined || dto.recipient !== undefined)
  @IsDefined()
  // Without it an array passes: ValidateNested checks each element, and [] has none.
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientDto)
  readonly recipient?: RecipientDto;

  @ApiProperty({ enum: ['decision', 'notice', 'information-request', 'general'] })
  @IsIn(['decision', 'notice', 'information-request', 'general'])
  readonly kind!: 'decision' | 'notice' | 'information-request' | 'general';

  @ApiProperty({ enum: ['ordinary', 'registered'] })
  @IsIn(['ordinary', 'registered'])
  readonly delivery!: 'ordinary' | 'registered';

  @ApiProperty({ minLength: 1, maxLength: MAX_SUBJECT, description: 'One line: no control characters (tab and line breaks included) and no bidirectional embeddings, overrides or isolates (400).' })
  @IsString()
  @Length(1, MAX_SUBJECT)
  @IsLineText()
  readonly subject!: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_BODY, description: 'Tab, LF and CR LF allowed; NUL and other control characters refused (400); right-to-left text and its controls kept.' })
  @IsString()
  @Length(1, MAX_BODY)
  @IsBodyText()
  readonly body!: string;

  @AttachmentIds()
  readonly attachments?: string[];

  @ApiPropertyOptional({ default: false })
  @AbsentOrValid()
  @IsBoolean()
  readonly replyAllowed?: boolean;

  @ApiPropertyOptional({ description: 'Id of the application or message this one answers.' })
  @AbsentOrValid()
  @IsString()
  @Length(1, 128)
  @IsLineText()
  readonly inReplyTo?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_APPEAL_PERIOD_DAYS,
    example: 30,
    description:
      'Length in days of the appeal period that service starts. Once the message is served (acknowledged or deemed served), ' +
      'both sides see `appealEndsOn`: the day of service not counted, a last day on a Saturday, Sunday, Finnish public holiday, ' +
      'Independence Day, Christmas Eve, Midsummer Eve or May Day moved to the next working day (Act 150/1930).',
  })
  @AbsentOrValid()
  @IsInt()
  @Min(1)
  @Max(MAX_APPEAL_PERIOD_DAYS)
  readonly appealPeriodDays?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'true: the message is for the person alone; someone acting on their behalf (a guardian or an authorised agent) never sees it.',
  })
  @AbsentOrValid()
  @IsBoolean()
  readonly confidential?: boolean;

  @ApiPropertyOptional({ type: NotificationDto, description: 'Notices of this message: reminders on or off, and their own text per language.' })
  @AbsentOrValid()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationDto)
  readonly notification?: NotificationDto;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2026-12-31',
    description:
      'The Helsinki date by which a reply is requested (typical for information-request; needs replyAllowed: true). Both sides see it; ' +
      'the recipient is reminded when the Helsinki day 2 days before it begins, and if no reply came by the end of the date the feed gets ' +
      '`reply-overdue` once. After the day the message becomes available, at most a year after it (422 otherwise).',
  })
  @AbsentOrValid()
  @IsCalendarDate()
  readonly replyBy?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    example: '2026-12-01T08:00:00Z',
    description:
      'Scheduled publishing: the message is recorded now but nothing of it reaches the recipient (no inbox entry, no notice) before this ' +
      'instant, and its legal clock (deemed service, acknowledgement period, reminders) starts from it. After now, at most a year ahead ' +
      '(422 otherwise). Until then DELETE /v1/agency/messages/{id} cancels it.',
  })
  @AbsentOrValid()
  @IsIsoInstant()
  readonly publishAt?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'The agency’s idempotency key: unique per agency. One line, as subject.' })
  @AbsentOrValid()
  @IsString()
  @Length(1, 256)
  @IsLineText()
  readonly externalId?: string;
}

export class BulkRecipientsDto {
  @ApiProperty({
    type: [String],
    maxItems: MAX_BULK_RECIPIENTS,
    description: 'Each entry is judged by the rule of the single check; every entry that is not a valid code is listed in `invalid`, whatever its length.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_RECIPIENTS)
  @IsString({ each: true })
  readonly hetus!: string[];
}

export { PageQueryDto };
