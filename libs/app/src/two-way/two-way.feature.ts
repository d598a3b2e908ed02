import type { Feature } from '../feature';

/** HTTP slice for attachments, applications and replies. */
export const TWO_WAY_FEATURE: Feature = {
  controllers: [],
  providers: [],
};
