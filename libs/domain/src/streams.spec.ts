import { accessDecider } from './access/access.decider';
import { accountDecider } from './account/account.decider';
import { agencyDecider } from './agency/agency.decider';
import { applicationDecider } from './application/application.decider';
import { EVENT_SCHEMA_VERSIONS, type DomainEventType } from './events';
import { messageDecider } from './message/message.decider';
import {
  accountStream,
  agencyStream,
  applicationStream,
  deciderFor,
  EVENT_CATEGORIES,
  messageStream,
  parseStream,
  STREAM_CATEGORIES,
  streamCategoriesOf,
  streamName,
} from './streams';

describe('stream names', () => {
  it('names each stream <category>-<id>', () => {
    expect(agencyStream('kela')).toBe('agency-kela');
    expect(accountStream('9f2c')).toBe('account-9f2c');
    expect(messageStream('m-1')).toBe('message-m-1');
    expect(applicationStream('a1')).toBe('application-a1');
  });

  it('parses a name back, keeping hyphens inside the id', () => {
    const id = '0190f1a2-7b3c-7d4e-8f5a-123456789abc';
    expect(parseStream(messageStream(id))).toEqual({ category: 'message', id });
    for (const category of STREAM_CATEGORIES) expect(parseStream(streamName(category, 'x-y'))).toEqual({ category, id: 'x-y' });
  });

  it('does not parse a name of another category, one without an id, or one without a category', () => {
    for (const name of ['invoice-1', 'message-', 'message', '-1', '', 'Message-1', '$all']) expect(parseStream(name)).toBeUndefined();
  });

  it('refuses to name a stream with an empty id', () => {
    expect(() => messageStream('')).toThrow(RangeError);
  });
});

describe('deciders by stream category', () => {
  it('finds the domain’s own decider for each category', () => {
    expect(deciderFor('agency')).toBe(agencyDecider);
    expect(deciderFor('account')).toBe(accountDecider);
    expect(deciderFor('message')).toBe(messageDecider);
    expect(deciderFor('application')).toBe(applicationDecider);
    expect(deciderFor('access')).toBe(accessDecider);
  });

  it('assigns every event type to at least one category', () => {
    const types = Object.keys(EVENT_SCHEMA_VERSIONS) as DomainEventType[];
    expect(Object.keys(EVENT_CATEGORIES).sort()).toEqual([...types].sort());
    for (const type of types) {
      expect(streamCategoriesOf(type).length).toBeGreaterThan(0);
      for (const category of streamCategoriesOf(type)) expect(STREAM_CATEGORIES).toContain(category);
    }
  });

  it('lets an act on behalf follow its act into a message or an application stream, and knows no category for an unknown type', () => {
    expect(streamCategoriesOf('ActedOnBehalf')).toEqual(['message', 'application']);
    expect(streamCategoriesOf('MessageRead')).toEqual(['message']);
    expect(streamCategoriesOf('MessageShredded')).toEqual([]);
  });
});
