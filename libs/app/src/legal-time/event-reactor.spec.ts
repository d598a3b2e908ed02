import { Logger } from '@nestjs/common';
import type { RecordedEvent } from '@asiointitili/core';
import { domainError } from '@asiointitili/domain';
import { REGISTERED_SENT_AT } from '@asiointitili/domain/testing/message-fixtures';
import { DomainRejection } from '../write/domain-rejection';
import type { Reaction } from './event-reactor';
import { LegalTimeHarness } from './testing/legal-time-harness';

/** A reaction that remembers what it saw, and fails as told. */
class Recorder implements Reaction {
  readonly eventTypes = new Set(['MessageSent']);
  readonly seen: string[] = [];
  failuresLeft = 0;
  refuse = false;

  constructor(readonly name: string) {}

  async react(event: RecordedEvent): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('the print service is down');
    }
    if (this.refuse) throw new DomainRejection(domainError('conflict', 'not-on-paper', 'refused'));
    this.seen.push(String(event.data.messageId));
  }
}

describe('the event reactor (a process manager with its own checkpoint)', () => {
  let h: LegalTimeHarness;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    h = await LegalTimeHarness.open(REGISTERED_SENT_AT);
    await h.openAccount('c_maija');
  });
  afterEach(() => h.destroy());

  it('hands over only the event types it names, and resumes after a restart from its checkpoint without repeating', async () => {
    const first = await h.send('c_maija', 'ordinary');
    const recorder = new Recorder('pm:test');
    const reactor = await h.react(recorder);
    await h.settled(reactor);
    expect(recorder.seen).toEqual([first]);
    expect(await h.runtime.readStore.checkpoint('pm:test')).toBe(await h.runtime.events.headPosition());

    h = await h.restart(REGISTERED_SENT_AT);
    const second = await h.send('c_maija', 'ordinary');
    const afterRestart = new Recorder('pm:test');
    await h.settled(await h.react(afterRestart));
    expect(afterRestart.seen).toEqual([second]);
  });

  it('keeps one checkpoint per process manager', async () => {
    const id = await h.send('c_maija', 'ordinary');
    await h.settled(await h.react(new Recorder('pm:one')));
    const other = new Recorder('pm:other');
    await h.settled(await h.react(other));
    expect(other.seen).toEqual([id]);
  });

  it('resumes from the checkpoint after a failure, so the work is retried and not lost', async () => {
    const id = await h.send('c_maija', 'ordinary');
    const recorder = new Recorder('pm:flaky');
    recorder.failuresLeft = 2;
    const reactor = await h.react(recorder);
    await h.settled(reactor);
    expect(recorder.seen).toEqual([id]);
    expect(recorder.failuresLeft).toBe(0);
  });

  it('moves on past a domain refusal: a decision, not a fault', async () => {
    await h.send('c_maija', 'ordinary');
    const recorder = new Recorder('pm:refused');
    recorder.refuse = true;
    const reactor = await h.react(recorder);
    await h.settled(reactor);
    expect(recorder.seen).toEqual([]);
    expect(reactor.position()).toBe(await h.runtime.events.headPosition());
  });
});
