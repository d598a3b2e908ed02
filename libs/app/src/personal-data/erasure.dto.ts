import { ApiProperty } from '@nestjs/swagger';
import { IsHetu } from '../http/dto/validators';

export class ErasureRequestDto {
  @ApiProperty({ example: '131052-308T', description: 'Personal identity code (henkilötunnus) of the person whose contact details are erased.' })
  @IsHetu()
  readonly hetu!: string;
}

export class ErasureView {
  @ApiProperty({ description: 'When the erasure that stands was made (a repeat answers the first time).', example: '2025-11-24T10:00:00.000Z' })
  readonly erasedAt!: string;
}

export class AdminErasureView extends ErasureView {
  @ApiProperty({ description: 'The pseudonym of the person: their trail is the stream account-<citizenRef>.', example: 'c_Qm9vbXNoYWthbGFrYWJvb21zaGFrYWxh' })
  readonly citizenRef!: string;
}
