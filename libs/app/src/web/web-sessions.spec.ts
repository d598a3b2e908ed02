import { WebSessions } from './web-sessions';

const at = (iso: string) => ({ now: () => new Date(iso) });

function clock(start: string) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const session = (expiresAt: number) => ({ bearer: 'token', csrfToken: 'csrf', acr: 'high' as const, amr: 'bank' as const, idToken: 'id', expiresAt });

describe('WebSessions', () => {
  it('finds a session by the cookie value it handed out, and by nothing else (the store keeps only a hash)', () => {
    const c = clock('2026-12-07T10:00:00Z');
    const sessions = new WebSessions(c, 1800);
    const id = sessions.create(session(c.now().getTime() + 3_600_000));
    expect(sessions.find(id)?.bearer).toBe('token');
    expect(sessions.find(`${id}x`)).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
  });

  it('ends a session after the idle time without requests, and each request restarts the idle time', () => {
    const c = clock('2026-12-07T10:00:00Z');
    const sessions = new WebSessions(c, 60);
    const id = sessions.create(session(c.now().getTime() + 3_600_000));
    c.advance(50_000);
    expect(sessions.find(id)).toBeDefined();
    c.advance(50_000);
    expect(sessions.find(id)).toBeDefined();
    c.advance(61_000);
    expect(sessions.find(id)).toBeUndefined();
  });

  it('ends a session at its token\'s expiry however active it is', () => {
    const c = clock('2026-12-07T10:00:00Z');
    const sessions = new WebSessions(c, 600);
    const id = sessions.create(session(c.now().getTime() + 90_000));
    c.advance(60_000);
    expect(sessions.find(id)).toBeDefined();
    c.advance(30_000);
    expect(sessions.find(id)).toBeUndefined();
  });

  it('sign-out ends the session at once', () => {
    const sessions = new WebSessions(at('2026-12-07T10:00:00Z'), 600);
    const id = sessions.create(session(Date.parse('2026-12-07T12:00:00Z')));
    expect(sessions.end(id)).toBeDefined();
    expect(sessions.find(id)).toBeUndefined();
  });

  it('a sign-in under way can be taken once, and not after ten minutes', () => {
    const c = clock('2026-12-07T10:00:00Z');
    const sessions = new WebSessions(c, 600);
    const login = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', language: 'fi' };
    const first = sessions.beginLogin(login);
    expect(sessions.takeLogin(first)).toMatchObject(login);
    expect(sessions.takeLogin(first)).toBeUndefined();
    const late = sessions.beginLogin(login);
    c.advance(10 * 60_000 + 1);
    expect(sessions.takeLogin(late)).toBeUndefined();
  });

  it('a flood of sign-ins cannot grow the store beyond its bound: the oldest go first', () => {
    const sessions = new WebSessions(at('2026-12-07T10:00:00Z'), 600, 3);
    const ids = Array.from({ length: 5 }, () => sessions.create(session(Date.parse('2026-12-07T12:00:00Z'))));
    expect(sessions.size).toBeLessThanOrEqual(3);
    expect(sessions.find(ids[0])).toBeUndefined();
    expect(sessions.find(ids[4])).toBeDefined();
  });
});
