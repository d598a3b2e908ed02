/** Unit specs live beside the code (*.spec.ts); cross-cutting suites live in test/ (*.e2e-spec.ts, *.contract-spec.ts). */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
}];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testRegex: '(\\.spec|\\.e2e-spec|\\.contract-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleNameMapper: {
    '^@asiointitili/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@asiointitili/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testTimeout: 30000,
};
