import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsBusinessId, IsLineText } from './validators';

export class RegisterAgencyDto {
  @ApiProperty({ example: 'kela', description: 'Agency id chosen by the operator: lower-case letters, digits and dashes.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'id must be 1 to 63 lower-case letters, digits or dashes' })
  readonly id!: string;

  @ApiProperty({ example: 'Kansaneläkelaitos' })
  @IsString()
  @Length(1, 256)
  @IsLineText()
  readonly name!: string;

  @ApiProperty({ example: '0246246-0', description: 'Y-tunnus with a valid check digit.' })
  @IsBusinessId()
  readonly businessId!: string;
}
