import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isIsoInstant, isValidBusinessId } from '@asiointitili/domain';
import { isServiceHetu } from '../../identity/service-date';
import { BODY_TEXT_RULE, LINE_TEXT_RULE, isBodyText, isLineText } from '../text-policy';

/**
 * A class-validator decorator for a rule on strings. `otherTypes`: what a value that is not a
 * string gets: `refuse` where the rule is the field's type check, `leave` where @IsString
 * beside it reports the type (so the field gets one problem, not two).
 */
function stringRule(name: string, test: (value: string) => boolean, message: string, otherTypes: 'refuse' | 'leave' = 'refuse') {
  return (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown) => (typeof value === 'string' ? test(value) : otherTypes === 'leave'),
          defaultMessage: () => message,
        },
      },
      options,
    );
}

/** A henkilötunnus with a real date not after the service's today, a known century sign and a correct check character. */
export const IsHetu = stringRule('isHetu', (value) => isServiceHetu(value), '$property must be a valid personal identity code (henkilötunnus)');

/** One line of text for people to read: no control characters, no bidirectional overrides (text-policy.ts). */
export const IsLineText = stringRule('isLineText', isLineText, `$property ${LINE_TEXT_RULE}`, 'leave');

/** A body of text: tab and line breaks allowed, NUL and other control characters not (text-policy.ts). */
export const IsBodyText = stringRule('isBodyText', isBodyText, `$property ${BODY_TEXT_RULE}`, 'leave');

/** A Y-tunnus (business id) in the form NNNNNNN-C with a correct check digit. */
export const IsBusinessId = stringRule('isBusinessId', isValidBusinessId, '$property must be a valid business id (Y-tunnus) such as 0737546-2');

/** An ISO 8601 instant that names its offset (`Z` or `±hh:mm`), e.g. 2026-12-01T08:00:00Z. */
export const IsIsoInstant = stringRule(
  'isIsoInstant',
  (value) => value.length <= 40 && isIsoInstant(value),
  '$property must be an ISO 8601 instant with an offset, such as 2026-12-01T08:00:00Z',
);

/** A real calendar date YYYY-MM-DD (no 30 February). */
export const IsCalendarDate = stringRule('isCalendarDate', isCalendarDate, '$property must be a calendar date YYYY-MM-DD, such as 2026-12-31');
