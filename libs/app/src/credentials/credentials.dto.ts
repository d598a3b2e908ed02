import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { MAX_IP_ALLOWLIST_ENTRIES } from '@asiointitili/domain';
import { AGENCY_ID_PATTERN } from '../http/controllers/params';
import { CLIENT_ID_PATTERN } from './client-secret';


export class AgencyPathParam {
  @ApiProperty({ pattern: AGENCY_ID_PATTERN.source, example: 'kela', description: 'The agency id' })
  @IsString()
  @Matches(AGENCY_ID_PATTERN, { message: 'id must be lower-case letters, digits or dashes' })
  readonly id!: string;
}

export class CredentialPathParam extends AgencyPathParam {
  @ApiProperty({ pattern: CLIENT_ID_PATTERN.source, example: 'kela.AAAAAAAAAAAAAAAAAAAAAA', description: 'A client id this service issued' })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'clientId must be a client id this service issued' })
  readonly clientId!: string;
}

export class IpAllowlistDto {
  @ApiProperty({
    example: ['192.0.2.0/24', '2001:db8:1234::/48'],
    description: `Networks (CIDR) the agency's integration may call from, at most ${MAX_IP_ALLOWLIST_ENTRIES}; an empty list allows every network.`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_IP_ALLOWLIST_ENTRIES)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  readonly cidrs!: string[];
}

/**
 * The token request, for the OpenAPI document only: the endpoint reads it by OAuth's rules
 * (token-request.ts) rather than by the validation pipe, so that refusals are OAuth errors and
 * unknown parameters are ignored as RFC 6749 §3.2 requires.
 */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  readonly grant_type!: string;

  @ApiPropertyOptional({ example: 'kela.AAAAAAAAAAAAAAAAAAAAAA', description: 'Or in an Authorization: Basic header with the secret.' })
  readonly client_id?: string;

  @ApiPropertyOptional({ description: 'Or in an Authorization: Basic header with the client id.' })
  readonly client_secret?: string;

  @ApiPropertyOptional({ description: 'Ignored: agency tokens have no scopes.' })
  readonly scope?: string;
}
