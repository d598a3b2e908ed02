import type { RecordAccess } from '../commands';
import type { AccessRecorded } from '../events';
import { accessStream, parseStream } from '../streams';
import { given } from '../testing/given-when-then';
import { accessDecider, accessStreamDay, MAX_ACCESS_FIELD_CHARACTERS } from './access.decider';

const read: RecordAccess = {
  type: 'RecordAccess',
  reader: { role: 'auditor', id: 'auditor-anna' },
  route: 'GET /v1/audit/streams/:stream',
  resource: 'message-123',
  correlationId: 'req-1',
  at: '2025-11-24T23:59:59.999Z',
};

const recorded: AccessRecorded = {
  type: 'AccessRecorded',
  data: { reader: { role: 'auditor', id: 'auditor-anna' }, route: 'GET /v1/audit/streams/:stream', resource: 'message-123', correlationId: 'req-1', accessedAt: '2025-11-24T23:59:59.999Z' },
};

describe('access log', () => {
  it('records who read what, when, under which correlation id', () => {
    const outcome = given(accessDecider).when(read);
    expect(outcome.events).toEqual([recorded]);
    expect(outcome.state).toEqual({ recorded: 1, lastAccessAt: read.at });
  });

  it('appends every read, also the same one again (a log, not a set)', () => {
    expect(given(accessDecider, recorded, recorded).when(read).state).toEqual({ recorded: 3, lastAccessAt: read.at });
  });

  it('records a read of a route that names no resource without one', () => {
    const { resource: _resource, ...withoutResource } = read;
    expect(given(accessDecider).when(withoutResource).events[0]!.data).not.toHaveProperty('resource');
  });

  it.each<readonly [string, Partial<RecordAccess>]>([
    ['an empty reader id', { reader: { role: 'auditor', id: '' } }],
    ['an empty route', { route: '' }],
    ['an empty resource', { resource: '' }],
    ['an empty correlation id', { correlationId: '' }],
    [`a route over ${MAX_ACCESS_FIELD_CHARACTERS} characters`, { route: 'x'.repeat(MAX_ACCESS_FIELD_CHARACTERS + 1) }],
  ])('refuses %s', (_name, overrides) => {
    expect(given(accessDecider).when({ ...read, ...overrides }).error).toMatchObject({ kind: 'invalid', code: 'invalid-access-record' });
  });

  it('keeps one stream per UTC day', () => {
    expect(accessStream('2025-11-24T23:59:59.999Z')).toBe('access-2025-11-24');
    expect(accessStream('2025-11-25T00:00:00.000Z')).toBe('access-2025-11-25');
    expect(parseStream(accessStream(read.at))).toEqual({ category: 'access', id: '2025-11-24' });
  });

  it('refuses a time that is not an ISO 8601 instant', () => {
    expect(() => accessStreamDay('24.11.2025')).toThrow(RangeError);
  });
});
