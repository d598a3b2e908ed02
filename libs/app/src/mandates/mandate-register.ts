import type { MandateRecorded, MandateState, MandateTerms } from '@asiointitili/domain';
import type { CommandContext } from '../write/command-executor';

/** A mandate as the register knows it: citizenRefs only, never a henkilötunnus. */
export type Mandate = Extract<MandateState, { exists: true }>;
export type MandateData = MandateRecorded['data'];

/**
 * Whom a citizen may act for. The embedded adapter (EmbeddedMandateRegister) answers from the
 * mandates the operator recorded as events in the log. A production adapter to the national
 * register of mandates (Suomi.fi-valtuudet / the population register's guardianships) would
 * implement this same interface, translating its answers to citizenRefs at the edge; it would
 * record nothing itself, so it needs no MandateRecorder.
 */
export interface MandateLookup {
  /** The mandate with this id (ended or expired ones too: the caller decides with `actingRefusal`); undefined when unknown. */
  byId(mandateId: string): Promise<Mandate | undefined>;
  /** Every mandate held by this agent (ended and expired ones too). */
  heldBy(agentRef: string): Promise<readonly Mandate[]>;
}

/** What the operator records: the mandate's terms (a guardian's with the principal's date of birth, from the henkilötunnus). */
export type RecordMandateInput = MandateTerms;

/** The operator's side of the embedded register: recording and ending mandates. */
export interface MandateRecorder {
  record(mandateId: string, input: RecordMandateInput, at: string, context: CommandContext): Promise<{ readonly position?: bigint }>;
  end(mandateId: string, at: string, context: CommandContext): Promise<{ readonly position?: bigint }>;
}

/** Nest injection token for the process's MandateLookup. */
export const MANDATE_LOOKUP = Symbol('MANDATE_LOOKUP');
