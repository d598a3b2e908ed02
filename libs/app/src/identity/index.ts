export * from './citizen-ref';
