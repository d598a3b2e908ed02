/**
 * Account decider under arbitrary command sequences, with agency ids that are also names of
 * Object.prototype members: consents, closings and the paper opt-out keep their rules whatever
 * the order and the time.
 */
import fc from 'fast-check';
import { canReceiveElectronically, accountDecider, consentGrantedAt, DELIVERY_POLICIES, type AccountState } from './account/account.decider';
import type { AccountCommand } from './commands';
import { fold } from './decider';
import type { AccountEvent, SealedContact } from './events';
import { asStored, runCommands, type Run } from './testing/property-runs';

const CITIZEN = 'citizen-ref';
const NUM_RUNS = 300;
const ms = (iso: string): number => Date.parse(iso);

/** Ordinary ids and the ones that find Object.prototype when looked up carelessly. */
const agencyArb = fc.constantFrom('kela', 'vero', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype');
const atArb = fc.integer({ min: ms('2024-01-01T00:00:00Z'), max: ms('2027-01-01T00:00:00Z') }).map((t) => new Date(t).toISOString());

/** An opaque envelope: the domain carries it and never looks inside. */
const contactArb: fc.Arbitrary<SealedContact> = fc.record({
  v: fc.constant(1 as const),
  kid: fc.constantFrom('k1', 'k2', 'k3'),
  iv: fc.base64String({ minLength: 16, maxLength: 16 }),
  ct: fc.base64String({ minLength: 4, maxLength: 40 }),
  tag: fc.base64String({ minLength: 24, maxLength: 24 }),
});

const commandArb: fc.Arbitrary<AccountCommand> = fc.oneof(
  fc.record({
    type: fc.constant('OpenAccount' as const),
    citizenRef: fc.constant(CITIZEN),
    language: fc.constantFrom('fi' as const, 'sv' as const, 'en' as const),
    contact: fc.option(contactArb, { nil: undefined }),
    openedBy: fc.constantFrom('citizen' as const, 'automatic' as const),
    at: atArb,
  }),
  fc.record({ type: fc.constant('ErasePersonalData' as const), citizenRef: fc.constant(CITIZEN), at: atArb }),
  fc.record({ type: fc.constant('CloseAccount' as const), citizenRef: fc.constant(CITIZEN), at: atArb }),
  fc.record({ type: fc.constant('GrantConsent' as const), citizenRef: fc.constant(CITIZEN), agencyId: agencyArb, agencyRegistered: fc.boolean(), at: atArb }),
  fc.record({ type: fc.constant('RevokeConsent' as const), citizenRef: fc.constant(CITIZEN), agencyId: agencyArb, at: atArb }),
  fc.record({ type: fc.constant('ChoosePaper' as const), citizenRef: fc.constant(CITIZEN), at: atArb }),
);

const sequenceArb = fc.array(commandArb, { maxLength: 30 });
type AccountRun = Run<AccountCommand, AccountEvent, AccountState>;
const property = (check: (run: AccountRun) => void) =>
  fc.assert(
    fc.property(sequenceArb, (commands) => check(runCommands(accountDecider, commands))),
    { numRuns: NUM_RUNS },
  );

describe('account decider under arbitrary command sequences', () => {
  it('holds consents and a paper opt-out only while the account is open', () => {
    property((run) => {
      for (const { after } of run.steps) {
        if (after.status === 'open') continue;
        expect(Object.keys(after.consents)).toEqual([]);
        expect(after.paperUntil).toBeUndefined();
      }
    });
  });

  it('grants consent only to a registered agency on an open account, and records a repeat grant only once', () => {
    property((run) => {
      for (const { command, before, events } of run.steps) {
        if (command.type !== 'GrantConsent' || events.length === 0) continue;
        expect(command.agencyRegistered).toBe(true);
        expect(before.status).toBe('open');
        expect(consentGrantedAt(before, command.agencyId)).toBeUndefined();
      }
    });
  });

  it('delivers electronically under the consent model exactly when the account is open, that agency has consent and no paper preference is in force', () => {
    property((run) => {
      for (const { after, command } of run.steps) {
        for (const agencyId of ['kela', '__proto__', 'constructor', 'toString']) {
          const answer = canReceiveElectronically(after, agencyId, 'consent', command.at);
          const paper = after.paperUntil !== undefined && Date.parse(command.at) < Date.parse(after.paperUntil);
          expect(answer.electronic).toBe(after.status === 'open' && Object.hasOwn(after.consents, agencyId) && !paper);
        }
        for (const policy of DELIVERY_POLICIES) {
          if (canReceiveElectronically(after, 'kela', policy, command.at).electronic) expect(after.status).toBe('open');
        }
      }
    });
  });

  it('never reopens a closed account automatically', () => {
    property((run) => {
      for (const { command, before, events } of run.steps) {
        if (command.type === 'OpenAccount' && before.status === 'closed' && command.openedBy === 'automatic') expect(events).toEqual([]);
      }
    });
  });

  it('holds sealed contact details only from an opening that carried them until the next erasure', () => {
    property((run) => {
      let carried: SealedContact | undefined;
      for (const { command, events, after } of run.steps) {
        for (const event of events) {
          if (event.type === 'AccountOpened') carried = event.data.contact;
          if (event.type === 'PersonalDataErased') carried = undefined;
        }
        expect(after.contact).toEqual(carried);
        if (command.type === 'ErasePersonalData' && events.length === 0 && after.status !== 'never-opened') {
          // Nothing recorded only when an erasure already stands and nothing was sealed since.
          expect(after.personalDataErasedAt).toBeDefined();
          expect(after.contact).toBeUndefined();
        }
      }
    });
  });

  it('keeps the state equal to the fold of the events as a store returns them (JSON)', () => {
    property((run) => {
      expect(fold(accountDecider, asStored(run.log))).toEqual(asStored(run.state));
    });
  });

  it('answers a retried command with nothing new, or with the same refusal', () => {
    property((run) => {
      for (const { command, events, after } of run.steps) {
        if (events.length === 0) continue;
        const again = accountDecider.decide(command, after);
        if (command.type === 'GrantConsent' || command.type === 'ChoosePaper' || command.type === 'ErasePersonalData') expect(again).toEqual({ ok: true, events: [] });
        else expect(again.ok).toBe(false);
      }
    });
  });

  it('never changes Object.prototype, whatever agency ids it sees', () => {
    property(() => {
      expect(({} as Record<string, unknown>).kela).toBeUndefined();
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      expect(Object.keys(Object.prototype)).toEqual([]);
    });
  });
});
