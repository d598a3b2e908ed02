import type { SubmitApplication } from '../commands';
import { fold } from '../decider';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { ApplicationEvent, ApplicationSubmitted } from '../events';
import { replaySteps } from '../replay';
import { given } from '../testing/given-when-then';
import { attachment } from '../testing/message-fixtures';
import { applicationDecider } from './application.decider';

const submit = (overrides: Partial<SubmitApplication> = {}): SubmitApplication => ({
  type: 'SubmitApplication',
  applicationId: 'app-1',
  citizenRef: 'c1t1zen',
  agencyId: 'kela',
  agencyRegistered: true,
  subject: 'Asumistukihakemus',
  body: 'Haen asumistukea.',
  attachments: [attachment(1)],
  at: '2025-11-24T10:00:00.000Z',
  ...overrides,
});

const submitted: ApplicationSubmitted = {
  type: 'ApplicationSubmitted',
  data: {
    applicationId: 'app-1',
    citizenRef: 'c1t1zen',
    agencyId: 'kela',
    subject: 'Asumistukihakemus',
    body: 'Haen asumistukea.',
    attachments: [attachment(1)],
    submittedAt: '2025-11-24T10:00:00.000Z',
  },
};

describe('application', () => {
  it('submits an application to a registered agency', () => {
    const outcome = given(applicationDecider).when(submit());
    expect(outcome.events).toEqual([submitted]);
    expect(outcome.state).toEqual({ submitted: true, ...submitted.data });
  });

  it('answers not-found for an agency that is not registered', () => {
    expect(given(applicationDecider).when(submit({ agencyRegistered: false })).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
  });

  it('refuses a second submission on the same stream', () => {
    expect(given(applicationDecider, submitted).when(submit()).error).toMatchObject({ kind: 'conflict', code: 'application-exists' });
  });

  it('needs a subject of 1 to 256 characters that is not blank', () => {
    expect(given(applicationDecider).when(submit({ subject: '' })).error).toMatchObject({ kind: 'invalid', code: 'subject-required' });
    expect(given(applicationDecider).when(submit({ subject: '   ' })).error).toMatchObject({ kind: 'invalid', code: 'subject-required' });
    expect(given(applicationDecider).when(submit({ subject: 'x'.repeat(256) })).result.ok).toBe(true);
    expect(given(applicationDecider).when(submit({ subject: 'x'.repeat(257) })).error).toMatchObject({ kind: 'invalid', code: 'subject-too-long' });
  });

  it('accepts an empty body (the attachments may be the application) up to 40,000 characters', () => {
    expect(given(applicationDecider).when(submit({ body: '' })).result.ok).toBe(true);
    expect(given(applicationDecider).when(submit({ body: 'x'.repeat(40_000) })).result.ok).toBe(true);
    expect(given(applicationDecider).when(submit({ body: 'x'.repeat(40_001) })).error).toMatchObject({ kind: 'invalid', code: 'body-too-long' });
  });

  it('accepts 50 attachments and refuses 51', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => attachment(i));
    expect(given(applicationDecider).when(submit({ attachments: many(50) })).result.ok).toBe(true);
    expect(given(applicationDecider).when(submit({ attachments: many(51) })).error).toMatchObject({ kind: 'invalid', code: 'too-many-attachments' });
  });

  it('refuses the same attachment twice', () => {
    expect(given(applicationDecider).when(submit({ attachments: [attachment(2), attachment(2)] })).error).toMatchObject({
      kind: 'invalid',
      code: 'duplicate-attachment',
    });
  });
});

describe('application: submitted on behalf of the applicant', () => {
  const agent = { agentRef: '4gent', mandateId: 'md-agent', relation: 'mandate' as const };
  const applied: ApplicationEvent = {
    type: 'ActedOnBehalf',
    data: { act: 'applied', applicationId: 'app-1', citizenRef: 'c1t1zen', agentRef: '4gent', mandateId: 'md-agent', relation: 'mandate', actedAt: '2025-11-24T10:00:00.000Z' },
  };

  it('records ApplicationSubmitted for the applicant, then ActedOnBehalf naming the mandate and the relation', () => {
    const outcome = given(applicationDecider).when(submit({ onBehalf: agent }));
    expect(outcome.events).toEqual([submitted, applied]);
    expect(outcome.state).toEqual({ submitted: true, ...submitted.data });
  });

  it('records no ActedOnBehalf when the applicant applies themself, and none for a refused submission', () => {
    expect(given(applicationDecider).when(submit()).events).toEqual([submitted]);
    expect(given(applicationDecider, submitted, applied).when(submit({ onBehalf: agent })).error.code).toBe('application-exists');
  });

  it('replays the application stream with its act on behalf, and refuses one before the submission or a message act', () => {
    expect(replaySteps('application', [submitted, applied]).map((step) => step.event.type)).toEqual(['ApplicationSubmitted', 'ActedOnBehalf']);
    expect(() => fold(applicationDecider, [applied])).toThrow(EventOutOfPlaceError);
    const read = { type: 'ActedOnBehalf', data: { ...applied.data, act: 'read' } } as unknown as ApplicationEvent;
    expect(() => fold(applicationDecider, [submitted, read])).toThrow(EventOutOfPlaceError);
  });
});
