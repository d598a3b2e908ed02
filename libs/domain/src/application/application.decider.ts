/**
 * Application: something a citizen sends to an agency (a form, a scanned letter), stream
 * `application-<id>`. Its subject names the form; the body may be empty when the attachments
 * are the application. An application submitted by someone acting for the person under a mandate
 * (`onBehalf`) also records ActedOnBehalf { act: 'applied' } right after it, in the same append.
 */
import type { ApplicationCommand } from '../commands';
import { attachmentsProblem, bodyProblem, firstProblem, subjectProblem } from '../content-limits';
import { accept, assertNever, reject, type Decider } from '../decider';
import { domainError } from '../errors';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { ApplicationEvent, ApplicationSubmitted } from '../events';

export type ApplicationState = { readonly submitted: false } | ({ readonly submitted: true } & ApplicationSubmitted['data']);

export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  initialState: { submitted: false },

  decide(command, state) {
    switch (command.type) {
      case 'SubmitApplication': {
        if (state.submitted) {
          return reject(domainError('conflict', 'application-exists', `application ${command.applicationId} was already submitted`));
        }
        const problem = firstProblem(
          subjectProblem(command.subject),
          bodyProblem(command.body, { required: false }),
          attachmentsProblem(command.attachments),
        );
        if (problem) return reject(problem);
        if (!command.agencyRegistered) return reject(domainError('not-found', 'agency-not-found', `no agency ${command.agencyId}`));
        const { applicationId, citizenRef, agencyId, subject, body, attachments, onBehalf, at } = command;
        const submitted: ApplicationEvent = { type: 'ApplicationSubmitted', data: { applicationId, citizenRef, agencyId, subject, body, attachments, submittedAt: at } };
        if (onBehalf === undefined) return accept(submitted);
        const { agentRef, mandateId, relation } = onBehalf;
        return accept<ApplicationEvent>(submitted, {
          type: 'ActedOnBehalf',
          data: { act: 'applied', applicationId, citizenRef, agentRef, mandateId, relation, actedAt: at },
        });
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ApplicationSubmitted':
        return { submitted: true, ...event.data };
      case 'ActedOnBehalf':
        // Stored data may say anything: only the submission is an act on an application.
        if (!state.submitted) throw new EventOutOfPlaceError(event.type, 'the stream has no ApplicationSubmitted before it');
        if ((event.data.act as string) !== 'applied') throw new EventOutOfPlaceError(event.type, `a ${String(event.data.act)} act is recorded in the message stream`);
        return state;
      default:
        return assertNever(event);
    }
  },
};
