import type { Feature } from '../feature';
import { MetricsController } from './metrics.controller';

/** GET /metrics; the AppMetrics instance itself comes from the runtime (APP_METRICS in the module). */
export const METRICS_FEATURE: Feature = {
  controllers: [MetricsController],
  providers: [],
};
