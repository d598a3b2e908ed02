import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MAX_BODY, MAX_SUBJECT } from '../limits';
import { AbsentOrValid, AttachmentIds, PageQueryDto } from './common.dto';
import { IsBodyText, IsLineText } from './validators';

export class OpenAccountDto {
  @ApiProperty({ enum: ['fi', 'sv', 'en'] })
  @IsIn(['fi', 'sv', 'en'])
  readonly language!: 'fi' | 'sv' | 'en';

  @ApiPropertyOptional({ example: 'maija@example.fi', description: 'Where arrival notices and reminders go (never content or links).' })
  @AbsentOrValid()
  @IsEmail()
  @MaxLength(254)
  readonly email?: string;

  @ApiPropertyOptional({ example: '+358401234567', description: 'E.164 phone number for SMS notices.' })
  @AbsentOrValid()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be an E.164 number such as +358401234567' })
  readonly phone?: string;
}

export class ReplyDto {
  @ApiProperty({ maxLength: MAX_BODY })
  @IsString()
  @Length(1, MAX_BODY)
  @IsBodyText()
  readonly body!: string;

  @AttachmentIds()
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
  @IsLineText()
  readonly subject!: string;

  @ApiProperty({ maxLength: MAX_BODY })
  @IsString()
  @Length(0, MAX_BODY)
  @IsBodyText()
  readonly body!: string;

  @AttachmentIds()
  readonly attachments?: string[];
}

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['unread', 'read', 'acknowledged', 'paper'] })
  @AbsentOrValid()
  @IsIn(['unread', 'read', 'acknowledged', 'paper'])
  readonly state?: 'unread' | 'read' | 'acknowledged' | 'paper';
}
