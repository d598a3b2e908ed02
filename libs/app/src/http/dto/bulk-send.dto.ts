import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, validateSync } from 'class-validator';
import type { BulkItem } from '../../write/use-cases/send-bulk';
import { MAX_BULK_MESSAGES } from '../limits';
import { problem, type FieldProblem } from '../problem';
import { FastValidation } from '../fast-validation/fast-path';
import { fieldProblems, VALIDATOR_OPTIONS } from '../validation';
import { SendMessageDto } from './agency.dto';
import { sendMessageInput } from './send-message-input';

export class BulkSendDto {
  @ApiProperty({
    type: [SendMessageDto],
    minItems: 1,
    maxItems: MAX_BULK_MESSAGES,
    description:
      'Each item exactly as the body of POST /v1/agency/messages, with externalId required (a retried bulk request must not send twice). ' +
      'Each item is checked on its own: an invalid one gets its own 400 result and the others are sent. The whole request stays within the JSON body limit.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_MESSAGES)
  // Items are checked one by one in bulkItem, so that one bad item does not refuse the rest.
  @IsObject({ each: true })
  readonly messages!: Record<string, unknown>[];
}

/**
 * Checks bulk items by the rules of a single send (the same DTO and pipe options), plus a required
 * externalId. A valid item takes the pipe's fast path (fast-validation/fast-path.ts): the same
 * instance plainToInstance builds, no errors; any other item is checked as before, so its problems
 * are class-validator's.
 */
export function bulkItemChecker(fast?: FastValidation): (plain: Record<string, unknown>) => BulkItem {
  return (plain) => {
    const valid = fast?.transform(plain, SendMessageDto) as SendMessageDto | undefined;
    return valid ? checkedItem(valid, []) : checkedItem(...slowCheck(plain));
  };
}

export const bulkItem = bulkItemChecker(new FastValidation());

function slowCheck(plain: Record<string, unknown>): [SendMessageDto, FieldProblem[]] {
  const dto = plainToInstance(SendMessageDto, plain, { enableImplicitConversion: false });
  return [dto, fieldProblems(validateSync(dto, VALIDATOR_OPTIONS))];
}

function checkedItem(dto: SendMessageDto, problems: FieldProblem[]): BulkItem {
  if (dto.externalId === undefined) problems.push({ field: 'externalId', problem: 'externalId is required in a bulk send' });
  if (problems.length > 0) return { ok: false, problem: problem(400, 'bad-request', 'The message has invalid fields.', { errors: problems }) };
  return { ok: true, input: sendMessageInput(dto) };
}
