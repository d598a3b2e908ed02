import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import type { Clock } from '@asiointitili/core';
import { withServiceClock } from '../identity/service-date';
import type { FieldProblem } from './problem';
import { FastValidation } from './fast-validation/fast-path';
import { fastPathModels } from './fast-validation/modelled-options';

/** Flattens class-validator's nested errors into `errors: [{ field, problem }]` with dotted paths. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** The rules of the global pipe, for checks made outside it (each item of a bulk send). */
export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Validates with the service's clock in reach of the date rules (a henkilötunnus born after today).
 * A body of a DTO class first goes to the fast path (fast-validation/fast-path.ts: why it exists
 * and why it is safe), which returns the instance this pipe would return for a valid body and
 * nothing otherwise; only then does the pipe itself run, so every error answer is still
 * class-validator's. `fast` is given only with the options the fast path models (below).
 */
export class ServiceValidationPipe extends ValidationPipe {
  constructor(
    private readonly clock: Clock | undefined,
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly fast?: FastValidation,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (this.fast && type && metadata.type !== 'custom') {
      const fast = this.fast;
      // The pipe validates a missing body or query as `{}` (its toEmptyIfNil) and returns that instance.
      const body = value ?? {};
      const instance = this.clock ? withServiceClock(this.clock, () => fast.transform(body, type)) : fast.transform(body, type);
      if (instance) return instance;
    }
    return super.transform(value, metadata);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): ReturnType<ValidationPipe['validate']> {
    return this.clock ? withServiceClock(this.clock, () => super.validate(object, validatorOptions)) : super.validate(object, validatorOptions);
  }
}

/**
 * The global pipe: unknown properties are refused (not silently dropped), types are checked
 * strictly, and the answer is a 400 problem listing every field problem.
 */
export function createValidationPipe(clock?: Clock, options: { fastPath?: boolean } = {}): ValidationPipe {
  const pipeOptions: ValidationPipeOptions = {
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new BadRequestException({ message: 'The request has invalid fields.', errors: fieldProblems(errors) }),
  };
  // The fast path models exactly these options (fast-validation/modelled-options.ts); changed, the pipe runs without it.
  const fast = options.fastPath !== false && fastPathModels(pipeOptions) ? new FastValidation() : undefined;
  return new ServiceValidationPipe(clock, pipeOptions, fast);
}
