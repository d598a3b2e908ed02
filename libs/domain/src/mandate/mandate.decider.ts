/**
 * Mandate: who may act for whom (13/2003 §18: a legal representative or an authorised agent may
 * receive a registered delivery for a person), stream `mandate-<id>`. The operator records one
 * (the embedded register); a national register adapter would supply the same shape.
 *
 * Rules:
 * - A person never holds a mandate for themselves; scopes are a non-empty set of read,
 *   acknowledge, reply, apply.
 * - A guardian mandate is for a minor: refused for a principal already 18 at recording, and it
 *   ends by itself when the principal's 18th birthday begins in Helsinki (the birth date is in the
 *   henkilötunnus; the application passes it in, the domain sees no henkilötunnus). Born on
 *   29 February: of age on 1 March in a common year (18 full years are not complete on 28 February).
 * - `validUntil` (a Helsinki date) is inclusive; a guardian's can only be earlier than the 18th birthday.
 * - Ending a mandate is final; repeating it records nothing.
 */
import { accept, assertNever, reject, type DecideResult, type Decider } from '../decider';
import { domainError, type DomainError } from '../errors';
import { EventOutOfPlaceError } from '../event-out-of-place';
import { addCalendarDays, helsinkiDate, instantMs, isCalendarDate, startOfHelsinkiDay } from '../legal-time';

export type MandateRelation = 'guardian' | 'mandate';
export type MandateScope = 'read' | 'acknowledge' | 'reply' | 'apply';
export const MANDATE_SCOPES: readonly MandateScope[] = ['read', 'acknowledge', 'reply', 'apply'];

/**
 * What a mandate says: who may act for whom, as what, for which acts, and until when. A type
 * alias, not an interface: the followers cast an event's `data` (a plain record) to it.
 */
export type MandateTerms = {
  readonly principalRef: string;
  readonly agentRef: string;
  readonly relation: MandateRelation;
  readonly scopes: readonly MandateScope[];
  /** The last Helsinki day the mandate is in force (inclusive); absent: until ended (a guardian's: until the 18th birthday). */
  readonly validUntil?: string;
  /** Guardian only: the principal's date of birth, from the henkilötunnus (a date, not the code). */
  readonly principalBornOn?: string;
};

export interface MandateRecorded {
  readonly type: 'MandateRecorded';
  readonly data: MandateRecordedData;
}

export type MandateRecordedData = MandateTerms & { readonly mandateId: string; readonly recordedAt: string };

export interface MandateEnded {
  readonly type: 'MandateEnded';
  readonly data: { readonly mandateId: string; readonly endedAt: string };
}

export type MandateEvent = MandateRecorded | MandateEnded;

export interface RecordMandate extends MandateTerms {
  readonly type: 'RecordMandate';
  readonly mandateId: string;
  readonly at: string;
}

export interface EndMandate {
  readonly type: 'EndMandate';
  readonly mandateId: string;
  readonly at: string;
}

export type MandateCommand = RecordMandate | EndMandate;

export type MandateState =
  | { readonly exists: false }
  | { readonly exists: true; readonly mandate: MandateRecorded['data']; readonly endedAt?: string };

export const initialMandateState: MandateState = { exists: false };

/** The day a person born on `bornOn` turns 18 (29 February → 1 March in a common year). */
export function eighteenthBirthday(bornOn: string): string {
  if (!isCalendarDate(bornOn)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(bornOn)}`);
  const [year, month, day] = bornOn.split('-').map(Number) as [number, number, number];
  const candidate = `${String(year + 18).padStart(4, '0')}-${bornOn.slice(5)}`;
  return isCalendarDate(candidate) ? candidate : addCalendarDays(`${String(year + 18).padStart(4, '0')}-${String(month).padStart(2, '0')}-28`, day - 28);
}

/** The instant a mandate stops being in force by its own terms (not counting an ending): undefined when open-ended. */
export function mandateExpiresAt(mandate: MandateRecorded['data']): string | undefined {
  const ends: string[] = [];
  if (mandate.validUntil !== undefined) ends.push(startOfHelsinkiDay(addCalendarDays(mandate.validUntil, 1)));
  if (mandate.relation === 'guardian' && mandate.principalBornOn !== undefined) ends.push(startOfHelsinkiDay(eighteenthBirthday(mandate.principalBornOn)));
  return ends.sort((a, b) => instantMs(a) - instantMs(b))[0];
}

export type MandateStanding = 'in-force' | 'expired' | 'ended';

export function mandateStanding(state: Extract<MandateState, { exists: true }>, at: string): MandateStanding {
  if (state.endedAt !== undefined && instantMs(at) >= instantMs(state.endedAt)) return 'ended';
  const expires = mandateExpiresAt(state.mandate);
  return expires !== undefined && instantMs(at) >= instantMs(expires) ? 'expired' : 'in-force';
}

/** Why an agent may not act for a principal with this scope now; undefined when they may. */
export type ActingRefusal = 'no-mandate' | 'expired' | 'ended' | 'out-of-scope';

/**
 * May `agentRef` act for the principal with `scope` at `at`, given the mandates between the two?
 * Any one mandate in force with the scope suffices; otherwise the most telling refusal is given
 * (no mandate at all → the principal is unknown to this agent; else expired, ended, out of scope).
 */
export function actingRefusal(
  mandates: readonly Extract<MandateState, { exists: true }>[],
  agentRef: string,
  principalRef: string,
  scope: MandateScope,
  at: string,
): ActingRefusal | undefined {
  const between = mandates.filter((m) => m.mandate.agentRef === agentRef && m.mandate.principalRef === principalRef);
  if (between.length === 0) return 'no-mandate';
  const standing = between.map((m) => ({ m, standing: mandateStanding(m, at) }));
  const inForce = standing.filter((s) => s.standing === 'in-force');
  if (inForce.some((s) => s.m.mandate.scopes.includes(scope))) return undefined;
  if (inForce.length > 0) return 'out-of-scope';
  return standing.some((s) => s.standing === 'ended') ? 'ended' : 'expired';
}

const invalid = (code: string, detail: string): DomainError => domainError('invalid', code, detail);

function recordProblem(command: RecordMandate): DomainError | undefined {
  if (command.principalRef === command.agentRef) return invalid('mandate-for-oneself', 'a person cannot hold a mandate for themselves');
  if (command.scopes.length === 0 || command.scopes.some((scope) => !MANDATE_SCOPES.includes(scope)) || new Set(command.scopes).size !== command.scopes.length) {
    return invalid('invalid-scopes', `scopes are a non-empty set of: ${MANDATE_SCOPES.join(', ')}`);
  }
  const today = helsinkiDate(command.at);
  if (command.validUntil !== undefined && (!isCalendarDate(command.validUntil) || command.validUntil < today)) {
    return invalid('invalid-valid-until', `validUntil must be a date from today (${today}) on`);
  }
  if (command.relation === 'guardian') {
    if (command.principalBornOn === undefined || !isCalendarDate(command.principalBornOn)) {
      return invalid('guardian-needs-birth-date', 'a guardian mandate needs the principal’s date of birth');
    }
    if (eighteenthBirthday(command.principalBornOn) <= today) return invalid('principal-of-age', 'a guardian mandate is for a minor; the principal is 18 or older');
  }
  return undefined;
}

function decide(command: MandateCommand, state: MandateState): DecideResult<MandateEvent> {
  switch (command.type) {
    case 'RecordMandate': {
      if (state.exists) return reject(domainError('conflict', 'mandate-exists', `mandate ${command.mandateId} was already recorded`));
      const problem = recordProblem(command);
      if (problem) return reject(problem);
      const { mandateId, principalRef, agentRef, relation, scopes, validUntil, principalBornOn, at } = command;
      return accept({
        type: 'MandateRecorded',
        data: {
          mandateId,
          principalRef,
          agentRef,
          relation,
          scopes: MANDATE_SCOPES.filter((scope) => scopes.includes(scope)),
          ...(validUntil === undefined ? {} : { validUntil }),
          ...(relation === 'guardian' ? { principalBornOn } : {}),
          recordedAt: at,
        },
      });
    }
    case 'EndMandate':
      if (!state.exists) return reject(domainError('not-found', 'mandate-not-found', `no mandate ${command.mandateId}`));
      if (state.endedAt !== undefined) return accept();
      return accept({ type: 'MandateEnded', data: { mandateId: command.mandateId, endedAt: command.at } });
    default:
      return assertNever(command);
  }
}

function evolve(state: MandateState, event: MandateEvent): MandateState {
  switch (event.type) {
    case 'MandateRecorded':
      if (state.exists) throw new EventOutOfPlaceError(event.type, `mandate ${state.mandate.mandateId} was already recorded`);
      return { exists: true, mandate: event.data };
    case 'MandateEnded':
      if (!state.exists) throw new EventOutOfPlaceError(event.type, 'the stream has no MandateRecorded before it');
      return { ...state, endedAt: event.data.endedAt };
    default:
      return assertNever(event);
  }
}

export const mandateDecider: Decider<MandateCommand, MandateEvent, MandateState> = {
  initialState: initialMandateState,
  evolve,
  decide,
};
