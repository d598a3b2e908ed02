import type { Feature } from '../feature';

/** HTTP slice for deadlines, reminders and paper fallback. */
export const LEGAL_TIME_FEATURE: Feature = {
  controllers: [],
  providers: [],
};
