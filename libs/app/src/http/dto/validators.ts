import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isIsoInstant, isValidBusinessId } from '@asiointitili/domain';
import { isServiceHetu } from '../../identity/service-date';
import { BODY_TEXT_RULE, LINE_TEXT_RULE, isBodyText, isLineText } from '../text-policy';

/** A henkilötunnus with a real date not after the service's today, a known century sign and a correct check character. */
export const IsHetu = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isHetu',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isServiceHetu(value),
        defaultMessage: () => '$property must be a valid personal identity code (henkilötunnus)',
      },
    },
    options,
  );

/** One line of text for people to read: no control characters, no bidirectional overrides (text-policy.ts). */
export const IsLineText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isLineText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isLineText(value),
        defaultMessage: () => `$property ${LINE_TEXT_RULE}`,
      },
    },
    options,
  );

/** A body of text: tab and line breaks allowed, NUL and other control characters not (text-policy.ts). */
export const IsBodyText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isBodyText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isBodyText(value),
        defaultMessage: () => `$property ${BODY_TEXT_RULE}`,
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

/** An ISO 8601 instant that names its offset (`Z` or `±hh:mm`), e.g. 2026-12-01T08:00:00Z. */
export const IsIsoInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length <= 40 && isIsoInstant(value),
        defaultMessage: () => '$property must be an ISO 8601 instant with an offset, such as 2026-12-01T08:00:00Z',
      },
    },
    options,
  );

/** A real calendar date YYYY-MM-DD (no 30 February). */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: () => '$property must be a calendar date YYYY-MM-DD, such as 2026-12-31',
      },
    },
    options,
  );
