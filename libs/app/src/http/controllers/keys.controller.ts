import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth';
import { KEY_RING, KeyRing, type PublicJwks } from '../../keys';
import { JwksSchema } from '../openapi/response.schemas';

@ApiTags('keys')
@Controller('v1/keys')
export class KeysController {
  constructor(@Inject(KEY_RING) private readonly keys: KeyRing) {}

  /** The public keys that verify proofs of service and export seals, offline. Public parts only. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'The public keys that verify proofs of service and export seals (JWKS, public)' })
  @ApiOkResponse({ type: JwksSchema })
  jwks(): Promise<PublicJwks> {
    return this.keys.publicJwks(['evidence']);
  }
}
