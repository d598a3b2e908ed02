import type { Feature } from '../feature';

/** HTTP slice for signed proofs of service. */
export const EVIDENCE_FEATURE: Feature = {
  controllers: [],
  providers: [],
};
