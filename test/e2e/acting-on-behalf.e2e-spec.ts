import { ManualClock } from '@asiointitili/core';
import { hetuCheckCharacter } from '@asiointitili/domain';
import { HETU, registerAgency } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** A synthetic henkilötunnus with a valid check character (individual number 2..899). */
function hetu(ddmmyy: string, centurySign: '-' | 'A', individual: number): string {
  const number = String(individual).padStart(3, '0');
  return `${ddmmyy}${centurySign}${number}${hetuCheckCharacter(ddmmyy + number)}`;
}

const START = '2026-12-07T10:00:00.000Z'; // Monday 7 December 2026, 12:00 Helsinki
const CHILD = hetu('150312', 'A', 321); // born 15 March 2012: 18 on 15 March 2030
const GUARDIAN = HETU.maija;
const STRANGER = HETU.aino;
const OTHER_AGENT = HETU.matti;

describe('acting on behalf of another person (13/2003 §18), end to end', () => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let admin: string;
  const as = async (who: string) => t.token({ role: 'citizen', hetu: who, acr: 'high', amr: 'bank' });
  const recordMandate = async (body: Record<string, unknown>) => t.http.post('/v1/admin/mandates').set('Authorization', `Bearer ${admin}`).send(body);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await registerAgency(t, 'kela');
    admin = await t.token({ role: 'admin' });
  });
  afterAll(async () => {
    await t.destroy();
  });

  describe('the mandate register', () => {
    it('records a guardian mandate, lists it for the agent only, and keeps no henkilötunnus in the log', async () => {
      const created = await recordMandate({ principal: { hetu: CHILD }, agent: { hetu: GUARDIAN }, relation: 'guardian', scopes: ['acknowledge', 'read'] });
      expect(created.status).toBe(201);
      const id: string = created.body.id;

      const mine = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(GUARDIAN)}`);
      expect(mine.status).toBe(200);
      // A guardian's mandate is in force until the day before the 18th birthday.
      expect(mine.body.items).toContainEqual({ id, relation: 'guardian', scopes: ['read', 'acknowledge'], validUntil: '2030-03-14' });
      expect(JSON.stringify(mine.body)).not.toContain(CHILD);

      const theirs = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(OTHER_AGENT)}`);
      expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(id);

      const auditor = await t.token({ role: 'auditor' });
      const stream = await t.http.get(`/v1/audit/streams/mandate-${id}`).set('Authorization', `Bearer ${auditor}`);
      expect(stream.status).toBe(200);
      expect(stream.body.items.map((e: { type: string }) => e.type)).toEqual(['MandateRecorded']);
      expect(JSON.stringify(stream.body)).not.toContain(CHILD);
      expect(JSON.stringify(stream.body)).not.toContain(GUARDIAN);
    });

    it('refuses a guardian mandate for an adult or for oneself (422) and an unknown scope or invalid henkilötunnus (400), recording nothing', async () => {
      const before = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      const adult = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'guardian', scopes: ['read'] });
      expect(adult.status).toBe(422);
      const self = await recordMandate({ principal: { hetu: STRANGER }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'] });
      expect(self.status).toBe(422);
      const scopes = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['delete'] });
      expect(scopes.status).toBe(400);
      const badHetu = await recordMandate({ principal: { hetu: '131052-308X' }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'] });
      expect(badHetu.status).toBe(400);
      const after = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(after.body.items).toEqual(before.body.items);
    });

    it('ends a mandate: it leaves the agent\'s list at once; ending it again changes nothing; an unknown id is 404', async () => {
      const created = await recordMandate({ principal: { hetu: HETU.matti }, agent: { hetu: STRANGER }, relation: 'mandate', scopes: ['read'], validUntil: '2027-06-30' });
      expect(created.status).toBe(201);
      const listed = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(listed.body.items).toContainEqual({ id: created.body.id, relation: 'mandate', scopes: ['read'], validUntil: '2027-06-30' });

      const ended = await t.http.delete(`/v1/admin/mandates/${created.body.id}`).set('Authorization', `Bearer ${admin}`);
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ id: created.body.id, endedAt: START });
      const again = await t.http.delete(`/v1/admin/mandates/${created.body.id}`).set('Authorization', `Bearer ${admin}`);
      expect(again.status).toBe(200);
      expect(again.body.endedAt).toBe(START);

      const gone = await t.http.get('/v1/citizen/principals').set('Authorization', `Bearer ${await as(STRANGER)}`);
      expect(gone.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
      const unknown = await t.http.delete('/v1/admin/mandates/md-unknown').set('Authorization', `Bearer ${admin}`);
      expect(unknown.status).toBe(404);
    });

    it('lets only the operator record mandates', async () => {
      const citizen = await t.http.post('/v1/admin/mandates').set('Authorization', `Bearer ${await as(GUARDIAN)}`).send({ principal: { hetu: CHILD }, agent: { hetu: GUARDIAN }, relation: 'guardian', scopes: ['read'] });
      expect(citizen.status).toBe(403);
    });
  });
});
