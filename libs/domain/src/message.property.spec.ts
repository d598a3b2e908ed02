/**
 * Message decider under arbitrary command sequences: whatever the order, the actor and the
 * time of the commands, the rules of 13/2003 §18–19 hold for the events that get recorded.
 * The oracles below compute dates independently of legal-time.ts (via Intl), so a bug shared by
 * the decider and its helper does not hide itself.
 */
import fc from 'fast-check';
import type { MessageCommand, SendMessage } from './commands';
import { fold } from './decider';
import type { MessageEvent, PaperReason } from './events';
import { contentVisible, messageDecider, type ExistingMessage, type MessageState } from './message/message.decider';
import { asStored, runCommands, type Run } from './testing/property-runs';

const MESSAGE_ID = 'm-1';
const RECIPIENT = 'recipient-ref';
const STRANGER = 'stranger-ref';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NUM_RUNS = 300;

type Run_ = Run<MessageCommand, MessageEvent, MessageState>;

// ---------------------------------------------------------------- independent oracles

const helsinkiDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });
const helsinkiDateOf = (ms: number): string => helsinkiDay.format(new Date(ms));
const plusDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};
const ms = (iso: string): number => Date.parse(iso);

// ---------------------------------------------------------------- arbitraries

/** Instants to send at: anywhere in three years, and the edges of DST changes and of a year. */
const sentAtArb = fc.oneof(
  fc.integer({ min: ms('2024-01-01T00:00:00Z'), max: ms('2026-12-31T00:00:00Z') }).map((t) => new Date(t).toISOString()),
  fc.constantFrom(
    '2025-03-29T22:30:00.000Z', // 00:30 on the night clocks go forward
    '2025-03-30T00:59:59.999Z',
    '2025-10-25T21:30:00.000Z', // 00:30 on the night clocks go back
    '2025-10-26T00:30:00.000Z', // inside the repeated hour
    '2025-12-31T21:59:59.999Z', // last millisecond of a Helsinki year
    '2025-12-31T22:00:00.000Z',
  ),
);

/** When a later command happens, relative to the sending: anywhere, or exactly on a legal boundary. */
type When = { readonly offsetMs: number } | { readonly boundary: 'deemed-day' | 'ack-by' | 'registered-reminder' | 'ordinary-reminder'; readonly shiftMs: -1 | 0 | 1 };
const whenArb: fc.Arbitrary<When> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -DAY, max: 12 * DAY }).map((offsetMs) => ({ offsetMs })) },
  {
    weight: 2,
    arbitrary: fc.record({
      boundary: fc.constantFrom('deemed-day' as const, 'ack-by' as const, 'registered-reminder' as const, 'ordinary-reminder' as const),
      shiftMs: fc.constantFrom(-1 as const, 0 as const, 1 as const),
    }),
  },
);

function resolveWhen(when: When, sentAt: string): string {
  if ('offsetMs' in when) return new Date(ms(sentAt) + when.offsetMs).toISOString();
  const base = {
    'deemed-day': () => startOfDayOracle(plusDays(helsinkiDateOf(ms(sentAt)), 3)),
    'ack-by': () => ms(sentAt) + 7 * DAY,
    'registered-reminder': () => ms(sentAt) + 3 * DAY,
    'ordinary-reminder': () => ms(sentAt) + 7 * DAY,
  }[when.boundary]();
  return new Date(base + when.shiftMs).toISOString();
}

/** The first millisecond whose Helsinki date is `date` (searched, not computed from offsets). */
function startOfDayOracle(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Helsinki is UTC+2 or +3: the day starts between 20:00 and 23:00 UTC the day before.
  let low = Date.UTC(y, m - 1, d) - 4 * HOUR;
  let high = Date.UTC(y, m - 1, d);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (helsinkiDateOf(mid) < date) low = mid + 1;
    else high = mid;
  }
  return low;
}

const PAPER_REASONS: readonly PaperReason[] = ['no-account', 'account-closed', 'no-consent', 'opted-out-to-paper', 'unacknowledged-7-days'];
const actorArb = fc.constantFrom(RECIPIENT, RECIPIENT, RECIPIENT, STRANGER);
const textArb = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '   ', 'Päätös', '\u200b', 'x'.repeat(40_001)));

/** A command intent: everything but its time, which is resolved against the run's sending instant. */
type Intent = (sentAt: string) => MessageCommand;

const sendArb: fc.Arbitrary<Intent> = fc
  .record({
    delivery: fc.constantFrom('ordinary' as const, 'registered' as const),
    electronic: fc.boolean(),
    paperReason: fc.option(fc.constantFrom(...PAPER_REASONS), { nil: undefined }),
    subject: fc.oneof({ weight: 4, arbitrary: fc.constant('Päätös') }, { weight: 1, arbitrary: textArb }),
    body: fc.oneof({ weight: 4, arbitrary: fc.constant('Teille on myönnetty tukea.') }, { weight: 1, arbitrary: textArb }),
    replyAllowed: fc.boolean(),
    contentSha256: fc.constantFrom('ab'.repeat(32), 'AB'.repeat(32), 'nope'),
  })
  .map(
    (s): Intent =>
      (sentAt): SendMessage => ({
        type: 'SendMessage',
        messageId: MESSAGE_ID,
        agencyId: 'kela',
        citizenRef: RECIPIENT,
        kind: 'decision',
        delivery: s.delivery,
        subject: s.subject,
        body: s.body,
        attachments: [],
        replyAllowed: s.replyAllowed,
        recipient: s.electronic ? { electronic: true } : { electronic: false, paperReason: s.paperReason },
        contentSha256: s.contentSha256,
        at: sentAt,
      }),
  );

const laterArb: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({ who: actorArb, when: whenArb }).map(({ who, when }): Intent => (s) => ({ type: 'OpenMessage', messageId: MESSAGE_ID, citizenRef: who, at: resolveWhen(when, s) })),
  fc
    .record({ who: actorArb, when: whenArb, method: fc.constantFrom('bank' as const, 'mobile' as const, 'idcard' as const) })
    .map(({ who, when, method }): Intent => (s) => ({ type: 'AcknowledgeReceipt', messageId: MESSAGE_ID, citizenRef: who, method, assurance: 'substantial', at: resolveWhen(when, s) })),
  whenArb.map((when): Intent => (s) => ({ type: 'MarkDeemedServed', messageId: MESSAGE_ID, at: resolveWhen(when, s) })),
  fc
    .record({
      when: whenArb,
      reason: fc.constantFrom('arrival' as const, 'unread-registered-3-days' as const, 'unread-ordinary-7-days' as const),
      channels: fc.constantFrom([] as const, ['email'] as const, ['email', 'sms'] as const),
    })
    .map(({ when, reason, channels }): Intent => (s) => ({ type: 'SendReminder', messageId: MESSAGE_ID, reason, channels: [...channels], at: resolveWhen(when, s) })),
  fc
    .record({ when: whenArb, reason: fc.constantFrom(...PAPER_REASONS) })
    .map(({ when, reason }): Intent => (s) => ({ type: 'FallBackToPaper', messageId: MESSAGE_ID, reason, at: resolveWhen(when, s) })),
  fc
    .record({ when: whenArb, job: fc.constantFrom('job-1', 'job-2') })
    .map(({ when, job }): Intent => (s) => ({ type: 'RecordPrintHandOff', messageId: MESSAGE_ID, printJobId: job, at: resolveWhen(when, s) })),
  fc
    .record({ who: actorArb, when: whenArb, replyId: fc.constantFrom('r-1', 'r-2'), body: fc.oneof(fc.constant('Kiitos'), textArb) })
    .map(({ who, when, replyId, body }): Intent => (s) => ({ type: 'SendReply', messageId: MESSAGE_ID, replyId, citizenRef: who, body, attachments: [], at: resolveWhen(when, s) })),
);

/** A run: the sending instant and commands, mostly a send first, then anything in any order (including more sends). */
const scenarioArb = fc
  .record({
    sentAt: sentAtArb,
    leading: fc.array(laterArb, { maxLength: 2 }),
    send: sendArb,
    rest: fc.array(fc.oneof({ weight: 12, arbitrary: laterArb }, { weight: 1, arbitrary: sendArb }), { maxLength: 25 }),
  })
  .map(({ sentAt, leading, send, rest }) => ({ sentAt, commands: [...leading, send, ...rest].map((intent) => intent(sentAt)) }));

const runOf = (commands: readonly MessageCommand[]): Run_ => runCommands(messageDecider, commands);
const eventsOf = (run: Run_, type: MessageEvent['type']) => run.log.filter((e) => e.type === type);
const sentData = (run: Run_) => {
  const sent = run.log.find((e) => e.type === 'MessageSent');
  return sent?.type === 'MessageSent' ? sent.data : undefined;
};
const property = (check: (run: Run_, sentAt: string) => void) =>
  fc.assert(
    fc.property(scenarioArb, ({ sentAt, commands }) => check(runOf(commands), sentAt)),
    { numRuns: NUM_RUNS },
  );

// ---------------------------------------------------------------- the invariants

describe('message decider under arbitrary command sequences', () => {
  it('records at most one MessageSent, and nothing before it', () => {
    property((run) => {
      expect(eventsOf(run, 'MessageSent').length).toBeLessThanOrEqual(1);
      if (run.log.length > 0) expect(run.log[0]!.type).toBe('MessageSent');
    });
  });

  it('acknowledges at most once, only a registered electronic message, by its recipient, before acknowledgeBy', () => {
    property((run) => {
      const acks = eventsOf(run, 'ReceiptAcknowledged');
      expect(acks.length).toBeLessThanOrEqual(1);
      const ack = acks[0];
      if (ack?.type !== 'ReceiptAcknowledged') return;
      const sent = sentData(run)!;
      expect(sent.delivery).toBe('registered');
      expect(sent.route).toBe('electronic');
      // Before the end of the 7th Helsinki day after availability (computed here with Intl, not legal-time.ts).
      expect(helsinkiDateOf(ms(ack.data.acknowledgedAt)) <= plusDays(helsinkiDateOf(ms(sent.sentAt)), 7)).toBe(true);
      const step = run.steps.find((s) => s.events.includes(ack))!;
      expect(step.command).toMatchObject({ type: 'AcknowledgeReceipt', citizenRef: RECIPIENT });
    });
  });

  it('records nothing after a paper fallback except the print hand-off', () => {
    property((run) => {
      const fallback = run.log.findIndex((e) => e.type === 'PaperFallbackTriggered');
      if (fallback < 0) return;
      expect(run.log.slice(fallback + 1).map((e) => e.type)).toEqual(run.log.slice(fallback + 1).filter((e) => e.type === 'MessageHandedToPrint').map((e) => e.type));
      expect(eventsOf(run, 'ReceiptAcknowledged')).toEqual([]);
    });
  });

  it('never shows registered content before acknowledgement, nor any content of a message sent on paper', () => {
    property((run) => {
      for (const { after } of run.steps) {
        if (!after.exists) continue;
        if (after.message.route === 'paper') expect(contentVisible(after)).toBe(false);
        if (after.message.delivery === 'registered' && after.acknowledgement === undefined) expect(contentVisible(after)).toBe(false);
      }
    });
  });

  it('never records a reading, an acknowledgement, deemed service, a reminder, a reply or a fallback for a message routed to paper', () => {
    property((run) => {
      if (sentData(run)?.route !== 'paper') return;
      const electronicOnly = new Set(['MessageRead', 'ReceiptAcknowledged', 'MessageDeemedServed', 'ReminderSent', 'ReplySent', 'PaperFallbackTriggered']);
      expect(run.log.filter((e) => electronicOnly.has(e.type))).toEqual([]);
      expect(run.log[1]?.type).toBe('MessageRoutedToPaper');
    });
  });

  it('deems only an electronic ordinary message served, once, on the third Helsinki day and never before that day begins', () => {
    property((run) => {
      const served = eventsOf(run, 'MessageDeemedServed');
      expect(served.length).toBeLessThanOrEqual(1);
      const event = served[0];
      if (event?.type !== 'MessageDeemedServed') return;
      const sent = sentData(run)!;
      expect(sent).toMatchObject({ delivery: 'ordinary', route: 'electronic' });
      const day = plusDays(helsinkiDateOf(ms(sent.sentAt)), 3);
      expect(event.data.servedOn).toBe(day);
      expect(ms(event.data.deemedServedAt)).toBe(startOfDayOracle(day));
      const step = run.steps.find((s) => s.events.includes(event))!;
      expect(ms(step.command.at)).toBeGreaterThanOrEqual(startOfDayOracle(day));
    });
  });

  it('keeps the state equal to the fold of the events as a store returns them (JSON)', () => {
    property((run) => {
      expect(fold(messageDecider, asStored(run.log))).toEqual(asStored(run.state));
    });
  });

  it('never changes a recorded legal fact (sending, reading, acknowledgement, deemed service, fallback, hand-off)', () => {
    property((run) => {
      for (const { before, after } of run.steps) {
        if (!before.exists || !after.exists) continue;
        const facts = (s: ExistingMessage) => [s.message, s.routedToPaper, s.readAt, s.acknowledgement, s.deemedServed, s.fallback, s.printHandOff] as const;
        facts(before).forEach((fact, i) => {
          if (fact !== undefined) expect(facts(after)[i]).toEqual(fact);
        });
      }
    });
  });

  it('answers a retried command with nothing new (a second MessageSent is a conflict)', () => {
    property((run) => {
      for (const { command, events, after } of run.steps) {
        if (events.length === 0) continue;
        const again = messageDecider.decide(command, after);
        if (command.type === 'SendMessage') expect(again).toMatchObject({ ok: false, error: { code: 'message-exists' } });
        else expect(again).toEqual({ ok: true, events: [] });
      }
    });
  });

  it('answers anyone but the recipient as if the message did not exist', () => {
    property((run) => {
      for (const { command, error, events } of run.steps) {
        if (!('citizenRef' in command) || command.type === 'SendMessage' || command.citizenRef !== STRANGER) continue;
        expect(events).toEqual([]);
        expect(error).toEqual({ kind: 'not-found', code: 'message-not-found', detail: `no message ${MESSAGE_ID}` });
      }
    });
  });

  it('hands a message to print at most once, and only when it is on paper', () => {
    property((run) => {
      const handOffs = eventsOf(run, 'MessageHandedToPrint');
      expect(handOffs.length).toBeLessThanOrEqual(1);
      if (handOffs.length === 1) expect(run.log.some((e) => e.type === 'MessageRoutedToPaper' || e.type === 'PaperFallbackTriggered')).toBe(true);
    });
  });

  it('reads once, and reminds at most once per reason and never once the message was seen (registered: acknowledged) or went to paper', () => {
    property((run) => {
      expect(eventsOf(run, 'MessageRead').length).toBeLessThanOrEqual(1);
      const reasons = eventsOf(run, 'ReminderSent').map((e) => (e.type === 'ReminderSent' ? e.data.reason : ''));
      expect(new Set(reasons).size).toBe(reasons.length);
      for (const { before, events } of run.steps) {
        const reminder = events.find((e) => e.type === 'ReminderSent');
        if (reminder?.type !== 'ReminderSent' || !before.exists) continue;
        // Opening a registered message does not serve it: its 3-day reminder still goes out.
        if (reminder.data.reason !== 'unread-registered-3-days') expect(before.readAt).toBeUndefined();
        expect(before.acknowledgement).toBeUndefined();
        expect(before.fallback).toBeUndefined();
      }
    });
  });
});

describe('the message command generator', () => {
  it('reaches every kind of message event, so the invariants above are not vacuous', () => {
    const seen = new Set(fc.sample(scenarioArb, { numRuns: NUM_RUNS, seed: 42 }).flatMap(({ commands }) => runOf(commands).log.map((e) => e.type)));
    const all: MessageEvent['type'][] = [
      'MessageSent', 'MessageRoutedToPaper', 'MessageRead', 'ReceiptAcknowledged', 'MessageDeemedServed',
      'ReminderSent', 'PaperFallbackTriggered', 'MessageHandedToPrint', 'ReplySent',
    ];
    expect([...seen].sort()).toEqual([...all].sort());
  });
});
