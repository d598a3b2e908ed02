/**
 * Agency: a sending organisation, registered once by an operator.
 */
import type { AgencyCommand } from '../commands';
import { accept, assertNever, reject, type Decider } from '../decider';
import { domainError } from '../errors';
import type { AgencyEvent } from '../events';
import { parseBusinessId } from '../identity/business-id';

export const AGENCY_NAME_MAX_CHARACTERS = 256;

export type AgencyState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly agencyId: string;
      readonly name: string;
      readonly businessId: string;
      readonly registeredAt: string;
    };

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  initialState: { registered: false },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterAgency': {
        if (state.registered) return reject(domainError('conflict', 'agency-exists', `agency ${command.agencyId} is already registered`));
        const name = command.name.trim();
        if (name.length === 0) return reject(domainError('invalid', 'agency-name-required', 'the agency needs a name'));
        if ([...name].length > AGENCY_NAME_MAX_CHARACTERS) {
          return reject(domainError('invalid', 'agency-name-too-long', `the name may have at most ${AGENCY_NAME_MAX_CHARACTERS} characters`));
        }
        const businessId = parseBusinessId(command.businessId);
        if (!businessId.ok) return reject(domainError('invalid', 'invalid-business-id', businessId.detail));
        return accept({
          type: 'AgencyRegistered',
          data: { agencyId: command.agencyId, name, businessId: businessId.businessId, registeredAt: command.at },
        });
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AgencyRegistered':
        return { registered: true, ...event.data };
      default:
        return assertNever(event.type);
    }
  },
};
