import { fastPathModels } from './modelled-options';

const service = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: () => new Error('400'),
};

describe('the pipe options the validation fast path models', () => {
  it('models the service’s own options', () => {
    expect(fastPathModels(service)).toBe(true);
  });

  it.each([
    ['groups', { groups: ['admin'] }],
    ['skipMissingProperties', { skipMissingProperties: true }],
    ['stopAtFirstError', { stopAtFirstError: true }],
    ['whitelist without forbidNonWhitelisted', { forbidNonWhitelisted: false }],
    ['no whitelist', { whitelist: false }],
    ['forbidUnknownValues off', { forbidUnknownValues: false }],
    ['no transform', { transform: false }],
    ['implicit conversion', { transformOptions: { enableImplicitConversion: true } }],
    ['another transform option', { transformOptions: { enableImplicitConversion: false, excludeExtraneousValues: true } }],
    ['an expected type', { expectedType: String }],
    ['custom decorators validated', { validateCustomDecorators: true }],
  ])('turns itself off with %s', (_name, change) => {
    expect(fastPathModels({ ...service, ...change })).toBe(false);
  });
});
