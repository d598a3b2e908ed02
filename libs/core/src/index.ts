export * from './ports';
export * from './integrity';
