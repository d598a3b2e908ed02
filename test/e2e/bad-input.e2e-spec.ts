import { hetuCheckCharacter } from '@asiointitili/domain';
import { signKeyRingJwt } from '@asiointitili/app/auth/key-ring-jwt';
import { DEV_TOKEN_ISSUER } from '@asiointitili/app/auth/token-claims';
import { TokenService } from '@asiointitili/app/auth/token-service';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A valid code whose check character is S: with ſ (U+017F) in its place it must not pass. */
const SIGMA_CODE = (() => {
  for (let n = 2; n < 900; n++) {
    const digits = `010190${String(n).padStart(3, '0')}`;
    if (hetuCheckCharacter(digits) === 'S') return `010190-${digits.slice(6)}S`;
  }
  throw new Error('no code with check character S');
})();

/** Every class of bad input gets application/problem+json with the right status, and changes nothing. */
describe('bad input answers problem+json and changes nothing', () => {
  let t: TestApp;
  let kela: string;
  let auditor: string;
  beforeAll(async () => {
    t = await startTestApp();
    await registerAgency(t, 'kela');
    await openAccountWithConsent(t, HETU.maija, 'kela');
    kela = await t.token({ role: 'agency', agency: 'kela' });
    auditor = await t.token({ role: 'auditor' });
  });
  afterAll(() => t.destroy());

  async function eventCount(): Promise<number> {
    const report = await t.http.get('/v1/audit/verify').set(bearer(auditor));
    return report.body.events as number;
  }

  const send = (body: unknown) => t.http.post('/v1/agency/messages').set(bearer(kela)).send(body as object);

  it.each([
    ['a missing recipient', { ...decision(HETU.maija), recipient: undefined }, 'recipient'],
    ['an invalid henkilötunnus checksum', decision('131052-308A'), 'recipient.hetu'],
    ['an unknown kind', decision(HETU.maija, { kind: 'letter' }), 'kind'],
    ['an unknown delivery', decision(HETU.maija, { delivery: 'express' }), 'delivery'],
    ['an empty subject', decision(HETU.maija, { subject: '' }), 'subject'],
    ['a subject of 257 characters', decision(HETU.maija, { subject: 'x'.repeat(257) }), 'subject'],
    ['a body of 40,001 characters', decision(HETU.maija, { body: 'x'.repeat(40_001) }), 'body'],
    ['51 attachments', decision(HETU.maija, { attachments: Array.from({ length: 51 }, (_, i) => `attachment-${String(i).padStart(4, '0')}`) }), 'attachments'],
    ['an externalId of 257 characters', decision(HETU.maija, { externalId: 'x'.repeat(257) }), 'externalId'],
    ['replyAllowed as a string', decision(HETU.maija, { replyAllowed: 'yes' }), 'replyAllowed'],
    ['an unknown property', decision(HETU.maija, { priority: 'high' }), 'priority'],
    ['inReplyTo as null (an optional member may be left out, not nulled)', decision(HETU.maija, { inReplyTo: null }), 'inReplyTo'],
    ['externalId as null', decision(HETU.maija, { externalId: null }), 'externalId'],
    ['attachments as null', decision(HETU.maija, { attachments: null }), 'attachments'],
    ['a subject with NUL', decision(HETU.maija, { subject: 'a\u0000b' }), 'subject'],
    ['a subject with an ANSI escape', decision(HETU.maija, { subject: '\u001b[31mPäätös' }), 'subject'],
    ['a subject with CR LF (a forged second line)', decision(HETU.maija, { subject: 'Päätös\r\nFrom: Kela' }), 'subject'],
    ['a subject with a tab', decision(HETU.maija, { subject: 'a\tb' }), 'subject'],
    ['a subject with a C1 control character', decision(HETU.maija, { subject: 'a\u009bb' }), 'subject'],
    ['a subject with a right-to-left override', decision(HETU.maija, { subject: 'lasku \u202Efdp.exe' }), 'subject'],
    ['a subject with a bidirectional isolate', decision(HETU.maija, { subject: 'a\u2066b\u2069' }), 'subject'],
    ['an externalId with a right-to-left override', decision(HETU.maija, { externalId: 'case-\u202E1' }), 'externalId'],
    ['an externalId with LF', decision(HETU.maija, { externalId: 'case\n1' }), 'externalId'],
    ['a body with NUL', decision(HETU.maija, { body: 'a\u0000b' }), 'body'],
    ['a body with an ANSI escape', decision(HETU.maija, { body: 'a\u001b[2Jb' }), 'body'],
    ['a body with a lone CR', decision(HETU.maija, { body: 'a\rb' }), 'body'],
    ['a body with a C1 control character', decision(HETU.maija, { body: 'a\u0085b' }), 'body'],
    ['a recipient born in the future (010199A…: 2099)', decision('010199A123Y'), 'recipient.hetu'],
    ['a check character ſ (U+017F, upper-cases to S)', decision(`${SIGMA_CODE.slice(0, -1)}\u017F`), 'recipient.hetu'],
    ['a prototype-pollution key', JSON.parse(`{"__proto__": {"admin": true}, "recipient": {"hetu": "${HETU.maija}"}}`), undefined],
  ])('answers %s with 400 and field problems', async (_name, body, field) => {
    const before = await eventCount();
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:asiointitili:problem:/), title: 'Bad Request', detail: expect.any(String) });
    if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await eventCount()).toBe(before);
  });

  it('keeps right-to-left text: an Arabic subject with marks, a body with tab, CR LF, bidirectional controls, stored exactly as sent', async () => {
    const subject = '\u0642\u0631\u0627\u0631 \u200F(2026)\u200E';
    const body = 'Hei\tMaija,\r\n\u202B\u0645\u0631\u062D\u0628\u0627\u202C\n\u2067\u05E9\u05DC\u05D5\u05DD\u2069';
    const response = await send(decision(HETU.maija, { subject, body }));
    expect(response.status).toBe(201);
    const [sent] = await t.runtime.events.readStream(`message-${response.body.id}`, { maxCount: 1 });
    expect(sent?.data).toMatchObject({ subject, body });
  });

  it('answers a single recipient check born in the future, or with ſ for S, with 400 like a bad checksum', async () => {
    for (const hetu of ['010199A123Y', `${SIGMA_CODE.slice(0, -1)}\u017F`]) {
      const response = await t.http.get(`/v1/agency/recipients/${encodeURIComponent(hetu)}`).set(bearer(kela));
      expect(response.status).toBe(400);
    }
    const padded = await t.http.get(`/v1/agency/recipients/${encodeURIComponent(` ${HETU.maija.toLowerCase()} `)}`).set(bearer(kela));
    expect(padded.status).toBe(200);
  });

  it('bulk check: one rule with the single check, and every bad entry (over-long, future, ſ, padded garbage) listed in invalid', async () => {
    const bad = ['010199A123Y', `${SIGMA_CODE.slice(0, -1)}\u017F`, 'x'.repeat(5000), '131052-308A', '', '131052\u00a0308T'];
    const good = [HETU.maija, ` ${HETU.maija} `, HETU.maija.toLowerCase(), HETU.matti];
    const response = await t.http.post('/v1/agency/recipients').set(bearer(kela)).send({ hetus: [...good, ...bad] });
    expect(response.status).toBe(200);
    expect(response.body.invalid).toEqual(bad);
    expect(response.body.electronic).toEqual(good.slice(0, 3));
    for (const hetu of good) {
      const single = await t.http.get(`/v1/agency/recipients/${encodeURIComponent(hetu)}`).set(bearer(kela));
      expect(single.status).toBe(200);
    }
  });

  it('maps development citizen tokens as provider tokens: a weak acr is 403, the eIDAS and FTN acr URIs are accepted', async () => {
    const tokens = t.app.get(TokenService);
    // The command line refuses to mint a weak token; the development key signs one all the same.
    const devSigned = (acr: string) =>
      signKeyRingJwt({ issuer: DEV_TOKEN_ISSUER, keyRing: t.runtime.keyRing, clock: t.runtime.clock }, { role: 'citizen', hetu: HETU.maija, acr, amr: 'bank' }, { ttlSeconds: 600, typ: 'JWT' });
    for (const acr of ['low', 'http://eidas.europa.eu/LoA/low', 'http://ftn.ficora.fi/2017/loa1']) {
      await expect(tokens.mint({ role: 'citizen', hetu: HETU.maija, acr })).rejects.toThrow(/level of assurance/);
      const weak = await t.http.get('/v1/citizen/messages').set(bearer(await devSigned(acr)));
      expect(weak.status).toBe(403);
    }
    for (const acr of ['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high', 'http://ftn.ficora.fi/2017/loa2', 'http://ftn.ficora.fi/2017/loa3']) {
      const strong = await t.http.get('/v1/citizen/messages').set(bearer(await tokens.mint({ role: 'citizen', hetu: HETU.maija, acr })));
      expect(strong.status).toBe(200);
    }
  });

  it('accepts a subject of exactly 256 and a body of exactly 40,000 characters', async () => {
    const response = await send(decision(HETU.maija, { subject: 's'.repeat(256), body: 'b'.repeat(40_000) }));
    expect(response.status).toBe(201);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await t.http.post('/v1/agency/messages').set(bearer(kela)).set('Content-Type', 'application/json').send('{"recipient": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('urn:asiointitili:problem:malformed-json');
  });

  it('answers a JSON body over the 1 MiB limit with 413 problem+json', async () => {
    const response = await t.http.post('/v1/agency/messages').set(bearer(kela)).set('Content-Type', 'application/json').send(JSON.stringify({ body: 'x'.repeat(1024 * 1024 + 10) }));
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a body that is not JSON with 415 problem+json', async () => {
    const response = await t.http.post('/v1/agency/messages').set(bearer(kela)).set('Content-Type', 'text/plain').send('recipient=131052-308T');
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a limit outside 1..1000 with 400', async () => {
    for (const limit of ['0', '1001', 'abc', '-1']) {
      const response = await t.http.get(`/v1/agency/events?limit=${limit}`).set(bearer(kela));
      expect(response.status).toBe(400);
    }
    expect((await t.http.get('/v1/agency/events?limit=1000').set(bearer(kela))).status).toBe(200);
  });

  it('answers a forged cursor with 400', async () => {
    const response = await t.http.get('/v1/agency/events?cursor=forged').set(bearer(kela));
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('urn:asiointitili:problem:invalid-cursor');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await t.http.get('/v1/nothing-here').set(bearer(kela));
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a registration with an invalid Y-tunnus with 400 naming businessId', async () => {
    const admin = await t.token({ role: 'admin' });
    const response = await t.http.post('/v1/admin/agencies').set(bearer(admin)).send({ id: 'bad', name: 'Bad', businessId: '0737546-3' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['businessId']);
  });

  it('answers a second registration of an agency id with 409', async () => {
    const admin = await t.token({ role: 'admin' });
    const response = await t.http.post('/v1/admin/agencies').set(bearer(admin)).send({ id: 'kela', name: 'Again', businessId: '0737546-2' });
    expect(response.status).toBe(409);
  });

  it('answers an invalid henkilötunnus in the recipient check path with 400', async () => {
    const response = await t.http.get('/v1/agency/recipients/131052-308A').set(bearer(kela));
    expect(response.status).toBe(400);
  });

  it('answers an unknown attachment id with 422 and creates nothing', async () => {
    const before = await eventCount();
    const response = await send(decision(HETU.maija, { attachments: ['unknown-attachment-id'] }));
    expect(response.status).toBe(422);
    expect(await eventCount()).toBe(before);
  });

  it('answers an agency that is not registered with 403', async () => {
    const ghost = await t.token({ role: 'agency', agency: 'ghost' });
    const response = await t.http.post('/v1/agency/messages').set(bearer(ghost)).send(decision(HETU.maija));
    expect(response.status).toBe(403);
  });
});
