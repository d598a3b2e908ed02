import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ATTACHMENT_ID_PATTERN, DEFAULT_PAGE, MAX_ATTACHMENTS, MAX_PAGE } from '../limits';

/**
 * The member may be left out, but when present it must be valid: unlike class-validator's
 * IsOptional, `null` is not "absent" here, so `"inReplyTo": null` is a 400 naming the field
 * rather than a null reaching the use case.
 */
export const AbsentOrValid = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** An optional list of uploaded attachment ids (POST /v1/attachments), at most 50. */
export const AttachmentIds = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: MAX_ATTACHMENTS, description: 'Ids from POST /v1/attachments' }),
    AbsentOrValid(),
    IsArray(),
    ArrayMaxSize(MAX_ATTACHMENTS),
    Matches(ATTACHMENT_ID_PATTERN, { each: true, message: 'each attachment must be an id from POST /v1/attachments' }),
  );

/** `?limit=&cursor=` of every list (API.md: default 50, max 1000, opaque cursor). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: 'Items per page' })
  @AbsentOrValid()
  @Matches(/^\d{1,4}$/)
  readonly limit?: string;

  @ApiPropertyOptional({ maxLength: 2048, description: 'The `next` of the previous page (opaque)' })
  @AbsentOrValid()
  @IsString()
  @MaxLength(2048)
  readonly cursor?: string;
}
