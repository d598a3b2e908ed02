import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { ProblemException } from '../http/problem';
import type { Principal } from '../auth/principal';
import { AccessLogInterceptor, resourceOf } from './access-log.interceptor';
import type { AccessRead, AccessRecorder } from './access-recorder';

function contextFor(request: Record<string, unknown>): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => ({ headers: {}, params: {}, query: {}, ...request }) }) } as unknown as ExecutionContext;
}

describe('AccessLogInterceptor', () => {
  const auditor: Principal = { role: 'auditor', subject: 'anna' };
  const handler = (answer: unknown): CallHandler => ({ handle: () => of(answer) });

  function recorder(fail = false): AccessRecorder & { reads: AccessRead[] } {
    const reads: AccessRead[] = [];
    return { reads, record: async (read: AccessRead) => (fail ? Promise.reject(new Error('log down')) : (reads.push(read), { stream: 'access-x' })) } as unknown as AccessRecorder & { reads: AccessRead[] };
  }

  it('records an auditor’s read before handing the answer on', async () => {
    const log = recorder();
    const request = { method: 'GET', path: '/v1/audit/streams/message-1', route: { path: '/v1/audit/streams/:stream' }, params: { stream: 'message-1' }, principal: auditor, headers: { 'x-request-id': 'r-1' } };
    await expect(lastValueFrom(new AccessLogInterceptor(log).intercept(contextFor(request), handler({ items: [] })))).resolves.toEqual({ items: [] });
    expect(log.reads).toEqual([{ principal: auditor, route: 'GET /v1/audit/streams/:stream', resource: 'message-1', requestId: 'r-1' }]);
  });

  it('withholds the data with 503 when the read cannot be recorded', async () => {
    const request = { method: 'GET', path: '/v1/audit/streams/message-1', route: { path: '/v1/audit/streams/:stream' }, params: { stream: 'message-1' }, principal: auditor };
    const answer = lastValueFrom(new AccessLogInterceptor(recorder(true)).intercept(contextFor(request), handler({ secret: 'personal data' })));
    await expect(answer).rejects.toBeInstanceOf(ProblemException);
    await expect(answer).rejects.toMatchObject({ problem: { status: 503, type: 'urn:asiointitili:problem:access-log-unavailable' } });
  });

  it.each<readonly [string, Record<string, unknown>]>([
    ['a write', { method: 'POST', path: '/v1/admin/agencies', principal: { role: 'admin', subject: 'olli' } }],
    ['a citizen’s read', { method: 'GET', path: '/v1/citizen/messages', principal: { role: 'citizen', hetu: '131052-308T', citizenRef: 'c', acr: 'high', amr: 'bank' } }],
    ['an agency’s read', { method: 'GET', path: '/v1/agency/events', principal: { role: 'agency', agencyId: 'kela' } }],
    ['the integrity check', { method: 'GET', path: '/v1/audit/verify', route: { path: '/v1/audit/verify' }, principal: auditor }],
    ['a read with no principal', { method: 'GET', path: '/v1/audit/streams/x' }],
    ['a path that only starts like an audit route', { method: 'GET', path: '/v1/auditors', principal: auditor }],
  ])('records nothing for %s', async (_name, request) => {
    const log = recorder();
    await lastValueFrom(new AccessLogInterceptor(log).intercept(contextFor(request), handler({})));
    expect(log.reads).toEqual([]);
  });
});

describe('the resource a read addressed', () => {
  it('is the stream named in the path or the query', () => {
    expect(resourceOf({ path: '/v1/audit/streams/account-c1', params: { stream: 'account-c1' }, query: {} })).toBe('account-c1');
    expect(resourceOf({ path: '/v1/audit/other', params: {}, query: { stream: 'message-9' } })).toBe('message-9');
  });

  it('is the message’s stream for a trail, and the agency’s stream for an admin read of an agency', () => {
    expect(resourceOf({ path: '/v1/audit/messages/m1/trail', params: { id: 'm1' }, route: { path: '/v1/audit/messages/:id/trail' } })).toBe('message-m1');
    expect(resourceOf({ path: '/v1/admin/agencies/kela/credentials', params: { id: 'kela' }, route: { path: '/v1/admin/agencies/:id/credentials' } })).toBe('agency-kela');
  });

  it('is the path otherwise', () => {
    expect(resourceOf({ path: '/v1/audit/something', params: {}, query: {} })).toBe('/v1/audit/something');
  });
});
