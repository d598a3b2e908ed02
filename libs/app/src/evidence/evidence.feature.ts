import type { Feature } from '../feature';
import { ProofController } from './proof.controller';
import { ProofOfServiceIssuer } from './proof-of-service';

/** HTTP slice for signed proofs of service. */
export const EVIDENCE_FEATURE: Feature = {
  controllers: [ProofController],
  providers: [ProofOfServiceIssuer],
};
