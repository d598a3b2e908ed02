import type { ValidationPipeOptions } from '@nestjs/common';

/**
 * The ValidationPipe options the fast path models. With any other option (groups, skipping of
 * missing members, implicit conversion, whitelist without forbidNonWhitelisted, no transform …)
 * its answer could differ from the pipe's, so the pipe is then built without it.
 */
const MODELLED: Readonly<Record<string, (value: unknown) => boolean>> = {
  whitelist: (value) => value === true,
  forbidNonWhitelisted: (value) => value === true,
  forbidUnknownValues: (value) => value === true,
  transform: (value) => value === true,
  // Only where errors carry the target and value: the fast path gives no errors.
  validationError: () => true,
  exceptionFactory: () => true,
  transformOptions: (value) =>
    value === undefined || (typeof value === 'object' && value !== null && Object.entries(value).every(([key, option]) => key === 'enableImplicitConversion' && option === false)),
};

export function fastPathModels(options: ValidationPipeOptions): boolean {
  return Object.entries(options).every(([key, value]) => MODELLED[key]?.(value) === true) && options.transform === true && options.whitelist === true && options.forbidNonWhitelisted === true;
}
