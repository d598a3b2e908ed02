import type { Feature } from '../feature';
import { ErasePersonalDataHandler } from './erase-personal-data';
import { AdminErasureController, CitizenPersonalDataController } from './personal-data.controller';

/** HTTP slice for erasure of personal data. The vault itself comes from the runtime (PERSONAL_DATA_VAULT). */
export const PERSONAL_DATA_FEATURE: Feature = {
  controllers: [CitizenPersonalDataController, AdminErasureController],
  providers: [ErasePersonalDataHandler],
};
