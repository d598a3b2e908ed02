export * from './config/app-config';
export * from './runtime/runtime';
export * from './http/http-app';
export * from './app.module';
