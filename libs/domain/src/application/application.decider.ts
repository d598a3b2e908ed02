/**
 * Application: something a citizen sends to an agency (a form, a scanned letter), stream
 * `application-<id>`. Its subject names the form; the body may be empty when the attachments
 * are the application.
 */
import type { ApplicationCommand } from '../commands';
import { attachmentsProblem, bodyProblem, firstProblem, subjectProblem } from '../content-limits';
import { accept, assertNever, reject, type Decider } from '../decider';
import { domainError } from '../errors';
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
        const { applicationId, citizenRef, agencyId, subject, body, attachments, at } = command;
        return accept({
          type: 'ApplicationSubmitted',
          data: { applicationId, citizenRef, agencyId, subject, body, attachments, submittedAt: at },
        });
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'ApplicationSubmitted':
        return { submitted: true, ...event.data };
      default:
        return assertNever(event.type);
    }
  },
};
