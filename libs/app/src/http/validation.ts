import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import type { Clock } from '@asiointitili/core';
import { withServiceClock } from '../identity/service-date';
import type { FieldProblem } from './problem';

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

/** Validates with the service's clock in reach of the date rules (a henkilötunnus born after today). */
class ServiceValidationPipe extends ValidationPipe {
  constructor(private readonly clock: Clock | undefined, options: ConstructorParameters<typeof ValidationPipe>[0]) {
    super(options);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): ReturnType<ValidationPipe['validate']> {
    return this.clock ? withServiceClock(this.clock, () => super.validate(object, validatorOptions)) : super.validate(object, validatorOptions);
  }
}

/**
 * The global pipe: unknown properties are refused (not silently dropped), types are checked
 * strictly, and the answer is a 400 problem listing every field problem.
 */
export function createValidationPipe(clock?: Clock): ValidationPipe {
  return new ServiceValidationPipe(clock, {
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ message: 'The request has invalid fields.', errors: fieldProblems(errors) }),
  });
}
