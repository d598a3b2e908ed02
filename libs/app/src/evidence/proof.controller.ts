import { Controller, Get, Logger, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../auth';
import { IdParam } from '../http/controllers/params';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { ProblemException, notFound, problem } from '../http/problem';
import { BrokenTrailError, ProofOfServiceIssuer } from './proof-of-service';
import { PROOF_TYPE } from './proof-payload';

export class ProofResponseDto {
  @ApiProperty({
    description:
      `Compact JWS (EdDSA over Ed25519, protected header { alg, kid, typ: "${PROOF_TYPE}" }) whose payload is the proof of service ` +
      '(docs/evidence.md). Verify it offline with the JWKS from GET /v1/keys; older keys stay published, so older proofs keep verifying.',
    example: 'eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiIsInR5cCI6ImFzaW9pbnRpdGlsaS1wcm9vZitqd3MifQ.eyJ...fQ.c2ln...',
  })
  readonly proof!: string;

  @ApiProperty({ description: 'The `kid` of the evidence key that signed the proof (also in the JWS header).' })
  readonly kid!: string;
}

/** GET /v1/agency/messages/{id}/proof: a signed proof of service (or, before service, of submission). */
@ApiTags('agency')
@ApiBearerAuth()
@Roles('agency')
@Controller('v1/agency/messages')
export class ProofController {
  private readonly logger = new Logger('Evidence');

  constructor(private readonly issuer: ProofOfServiceIssuer) {}

  @Get(':id/proof')
  @ApiOperation({
    summary: 'Signed proof of service',
    description:
      'Built from the message\'s own event stream. Before service, the proof says `service: { status: "pending" }` and is a proof of ' +
      'submission and availability. Only the sending agency gets it; anyone else gets 404.',
  })
  @ApiOkResponse({ type: ProofResponseDto })
  @ApiProblems({ status: 404, description: 'No such message, or another agency sent it.' }, { status: 500, description: 'The message\'s trail fails its hash-chain check (broken-trail); no proof is signed.' })
  async proof(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: IdParam): Promise<ProofResponseDto> {
    try {
      const issued = await this.issuer.issue(principal.agencyId, id);
      if (!issued) throw notFound('message');
      return { proof: issued.proof, kid: issued.kid };
    } catch (error) {
      if (error instanceof BrokenTrailError) {
        this.logger.error(error.message);
        // Our fault, not the client's: the log failed its own integrity check. No proof is signed over it.
        throw new ProblemException(problem(500, 'broken-trail', 'The message\'s trail fails its hash-chain check; no proof can be issued. Operators have been told.'));
      }
      throw error;
    }
  }
}
