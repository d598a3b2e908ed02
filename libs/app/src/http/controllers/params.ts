import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Ids in paths are opaque but bounded: anything else is a 404-worthy miss decided before any lookup. */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const AGENCY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class IdParam {
  @ApiProperty({ pattern: RESOURCE_ID_PATTERN.source, description: 'The resource id' })
  @IsString()
  @Matches(RESOURCE_ID_PATTERN, { message: 'id has an invalid format' })
  readonly id!: string;
}

export class AgencyIdParam {
  @ApiProperty({ pattern: AGENCY_ID_PATTERN.source, example: 'kela', description: 'The agency id' })
  @IsString()
  @Matches(AGENCY_ID_PATTERN, { message: 'agencyId must be lower-case letters, digits or dashes' })
  readonly agencyId!: string;
}
