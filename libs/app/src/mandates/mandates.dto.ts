import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, ValidateNested } from 'class-validator';
import { MANDATE_SCOPES, type MandateRelation, type MandateScope } from '@asiointitili/domain';
import { AbsentOrValid } from '../http/dto/common.dto';
import { IsCalendarDate, IsHetu } from '../http/dto/validators';

const RELATIONS: readonly MandateRelation[] = ['guardian', 'mandate'];

export class MandatePersonDto {
  @ApiProperty({ example: '131052-308T', description: 'Personal identity code (henkilötunnus), checksum-validated; the register keeps only its citizenRef.' })
  @IsHetu()
  readonly hetu!: string;
}

export class RecordMandateDto {
  @ApiProperty({ type: MandatePersonDto, description: 'The person acted for.' })
  @IsObject()
  @ValidateNested()
  @Type(() => MandatePersonDto)
  readonly principal!: MandatePersonDto;

  @ApiProperty({ type: MandatePersonDto, description: 'The person who may act.' })
  @IsObject()
  @ValidateNested()
  @Type(() => MandatePersonDto)
  readonly agent!: MandatePersonDto;

  @ApiProperty({ enum: RELATIONS, description: '`guardian`: a minor\'s legal representative (ends by itself on the 18th birthday); `mandate`: an authorised agent.' })
  @IsIn(RELATIONS)
  readonly relation!: MandateRelation;

  @ApiProperty({ enum: MANDATE_SCOPES, isArray: true, example: ['read', 'acknowledge'], description: 'What the agent may do: read (inbox, open messages), acknowledge, reply, apply.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MANDATE_SCOPES.length)
  @IsIn(MANDATE_SCOPES, { each: true })
  readonly scopes!: MandateScope[];

  @ApiPropertyOptional({ example: '2027-12-31', description: 'The last Helsinki day the mandate is in force (inclusive).' })
  @AbsentOrValid()
  @IsCalendarDate()
  readonly validUntil?: string;
}

@ApiSchema({ name: 'MandateEnded' })
export class MandateEndedSchema {
  @ApiProperty({ example: 'md-7QdV0Jx1bVv3lZq9' }) readonly id!: string;
  @ApiProperty({ example: '2026-12-07T10:00:00.000Z', description: 'When the mandate ended (the first ending: repeating it changes nothing).' }) readonly endedAt!: string;
}

@ApiSchema({ name: 'Principal', description: 'A person the caller may act for now, by mandate id (never a henkilötunnus).' })
export class PrincipalItemSchema {
  @ApiProperty({ example: 'md-7QdV0Jx1bVv3lZq9', description: 'The mandate id: send it as `X-Act-For`.' }) readonly id!: string;
  @ApiProperty({ enum: RELATIONS }) readonly relation!: MandateRelation;
  @ApiProperty({ enum: MANDATE_SCOPES, isArray: true }) readonly scopes!: MandateScope[];
  @ApiPropertyOptional({ example: '2027-12-31', description: 'The last Helsinki day the mandate is in force (a guardian\'s: at latest the day before the 18th birthday).' })
  readonly validUntil?: string;
}

@ApiSchema({ name: 'Principals' })
export class PrincipalsSchema {
  @ApiProperty({ type: [PrincipalItemSchema] }) readonly items!: PrincipalItemSchema[];
}
