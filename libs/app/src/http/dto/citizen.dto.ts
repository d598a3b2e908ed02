import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ATTACHMENT_ID_PATTERN, MAX_ATTACHMENTS, MAX_BODY, MAX_SUBJECT } from '../limits';

export class OpenAccountDto {
  @ApiProperty({ enum: ['fi', 'sv', 'en'] })
  @IsIn(['fi', 'sv', 'en'])
  readonly language!: 'fi' | 'sv' | 'en';

  @ApiPropertyOptional({ example: 'maija@example.fi', description: 'Where arrival notices and reminders go (never content or links).' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  readonly email?: string;

  @ApiPropertyOptional({ example: '+358401234567', description: 'E.164 phone number for SMS notices.' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be an E.164 number such as +358401234567' })
  readonly phone?: string;
}

export class ReplyDto {
  @ApiProperty({ maxLength: MAX_BODY })
  @IsString()
  @Length(1, MAX_BODY)
  readonly body!: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_ATTACHMENTS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @Matches(ATTACHMENT_ID_PATTERN, { each: true })
  readonly attachments?: string[];
}

export class SubmitApplicationDto {
  @ApiProperty()
  @IsString()
  @Length(1, 63)
  readonly agencyId!: string;

  @ApiProperty({ description: 'Names the form, e.g. "Toimeentulotukihakemus (TO1)".', maxLength: MAX_SUBJECT })
  @IsString()
  @Length(1, MAX_SUBJECT)
  @Matches(/\S/, { message: 'subject must not be blank' })
  readonly subject!: string;

  @ApiProperty({ maxLength: MAX_BODY })
  @IsString()
  @Length(0, MAX_BODY)
  readonly body!: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_ATTACHMENTS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @Matches(ATTACHMENT_ID_PATTERN, { each: true })
  readonly attachments?: string[];
}

export class InboxQueryDto {
  @ApiPropertyOptional({ enum: ['unread', 'read', 'acknowledged', 'paper'] })
  @IsOptional()
  @IsIn(['unread', 'read', 'acknowledged', 'paper'])
  readonly state?: 'unread' | 'read' | 'acknowledged' | 'paper';

  @ApiPropertyOptional({ description: '1 to 1000, default 50' })
  @IsOptional()
  @Matches(/^\d{1,4}$/)
  readonly limit?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  readonly cursor?: string;
}
