import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isValidBusinessId, isValidHetu } from '@asiointitili/domain';

/** A henkilötunnus with a real date, a known century sign and a correct check character. */
export const IsHetu = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isHetu',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidHetu(value),
        defaultMessage: () => '$property must be a valid personal identity code (henkilötunnus)',
      },
    },
    options,
  );

/** A Y-tunnus (business id) in the form NNNNNNN-C with a correct check digit. */
export const IsBusinessId = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isBusinessId',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidBusinessId(value),
        defaultMessage: () => '$property must be a valid business id (Y-tunnus) such as 0737546-2',
      },
    },
    options,
  );
