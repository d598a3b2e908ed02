/**
 * Access log: who read personal data through an audit or operator route. One stream per UTC day
 * (`access-<yyyy-mm-dd>`), append-only: every RecordAccess becomes one AccessRecorded, chained
 * into that day's stream like every other event, so an auditor can also prove the log of their
 * own reads was not edited.
 */
import type { AccessCommand } from '../commands';
import { accept, assertNever, reject, type Decider } from '../decider';
import { domainError } from '../errors';
import type { AccessEvent } from '../events';

export const MAX_ACCESS_FIELD_CHARACTERS = 512;

export interface AccessLogState {
  /** How many reads the day's stream holds. */
  readonly recorded: number;
  readonly lastAccessAt?: string;
}

export const accessDecider: Decider<AccessCommand, AccessEvent, AccessLogState> = {
  initialState: { recorded: 0 },

  decide(command) {
    switch (command.type) {
      case 'RecordAccess': {
        const { reader, route, resource, correlationId, at } = command;
        const fields: ReadonlyArray<readonly [string, string | undefined, boolean]> = [
          ['reader id', reader.id, true],
          ['route', route, true],
          ['resource', resource, false],
          ['correlation id', correlationId, true],
        ];
        for (const [name, value, required] of fields) {
          if (value === undefined ? required : value.length === 0 || value.length > MAX_ACCESS_FIELD_CHARACTERS) {
            return reject(domainError('invalid', 'invalid-access-record', `the ${name} must be 1–${MAX_ACCESS_FIELD_CHARACTERS} characters`));
          }
        }
        return accept({
          type: 'AccessRecorded',
          data: { reader: { role: reader.role, id: reader.id }, route, ...(resource === undefined ? {} : { resource }), correlationId, accessedAt: at },
        });
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AccessRecorded':
        return { recorded: state.recorded + 1, lastAccessAt: event.data.accessedAt };
      default:
        return assertNever(event.type);
    }
  },
};

/** The day stream an access at `at` (ISO 8601 UTC) belongs to. */
export function accessStreamDay(at: string): string {
  const day = at.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError('an access time must be an ISO 8601 UTC instant');
  return day;
}
