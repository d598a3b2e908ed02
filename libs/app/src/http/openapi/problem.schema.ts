import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemSchema {
  @ApiProperty({ description: 'The request member, parameter or header at fault (dotted path for nested members).', example: 'recipient.hetu' })
  readonly field!: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'hetu must be a valid henkilötunnus' })
  readonly problem!: string;
}

/**
 * RFC 9457 problem details: the one shape of every error answer (`application/problem+json`).
 * Clients switch on `type`; `errors` names the fields of a 400 or 422.
 */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details, the one shape of every error answer (application/problem+json).' })
export class ProblemSchema {
  @ApiProperty({ description: 'A stable URN naming the problem; clients may switch on it.', example: 'urn:asiointitili:problem:validation' })
  readonly type!: string;

  @ApiProperty({ description: 'The HTTP reason phrase of the status.', example: 'Bad Request' })
  readonly title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  readonly status!: number;

  @ApiProperty({ description: 'What went wrong, for a person reading logs; never personal data.', example: 'recipient.hetu must be a valid henkilötunnus' })
  readonly detail!: string;

  @ApiPropertyOptional({ type: [FieldProblemSchema], description: 'Each invalid field (400 and 422 answers).' })
  readonly errors?: FieldProblemSchema[];

  @ApiPropertyOptional({ description: 'The id an earlier request already created (409 on a repeated externalId).' })
  readonly id?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Seconds to wait before retrying (429); also in Retry-After.' })
  readonly retryAfterSeconds?: number;

  @ApiPropertyOptional({ description: 'The OAuth 2.0 error code (RFC 6749 §5.2), token endpoint only.', example: 'invalid_client' })
  readonly error?: string;

  @ApiPropertyOptional({ description: 'The OAuth 2.0 error description, token endpoint only.' })
  readonly error_description?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'The size limit in bytes (413 on uploads).' })
  readonly limit?: number;

  @ApiPropertyOptional({ type: [String], description: 'The accepted content types (415 on uploads).' })
  readonly allowed?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Everything that is wrong, one sentence each (503 not-ready; the readiness members ride beside it).' })
  readonly problems?: string[];
}
