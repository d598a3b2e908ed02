export * from './app-metrics';
export * from './http-metrics.middleware';
export * from './metrics.feature';
