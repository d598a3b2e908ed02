import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth';
import { KEY_RING, KeyRing, type PublicJwks } from '../../keys';

@ApiTags('keys')
@Controller('v1/keys')
export class KeysController {
  constructor(@Inject(KEY_RING) private readonly keys: KeyRing) {}

  /** The public keys that verify proofs of service and export seals, offline. Public parts only. */
  @Public()
  @Get()
  jwks(): Promise<PublicJwks> {
    return this.keys.publicJwks(['evidence']);
  }
}
