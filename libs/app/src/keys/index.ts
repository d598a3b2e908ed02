export * from './key-location';
export * from './key-ring';
export { KEY_RING } from './key-ring.token';
