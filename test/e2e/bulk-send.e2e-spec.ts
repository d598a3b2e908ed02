import { decision, HETU, startAppWithAgency } from '../support/fixtures';
import { eventually, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface BulkResult {
  index: number;
  id?: string;
  route?: string;
  status: number;
  problem?: { status: number; type: string; errors?: Array<{ field: string }>; id?: string };
}

/** A small message (so 1,000 of them stay far below the JSON body limit). */
const small = (hetu: string, externalId: string) => decision(hetu, { delivery: 'ordinary', kind: 'notice', subject: 'Tiedote', body: 'Lyhyt viesti.', externalId });

describe('POST /v1/agency/messages/bulk', () => {
  let t: TestApp;
  let kela: string;
  beforeAll(async () => {
    ({ t, agencyToken: kela } = await startAppWithAgency('kela', [HETU.maija]));
  });
  afterAll(() => t.destroy());

  it('sends every item as a single send would and answers one result per item, in order', async () => {
    const response = await t.http.post('/v1/agency/messages/bulk').set(bearer(kela)).send({ messages: [small(HETU.maija, 'b-1'), small(HETU.aino, 'b-2')] });
    expect(response.status).toBe(200);
    const results = response.body.results as BulkResult[];
    expect(results.map(({ index, status, route }) => ({ index, status, route }))).toEqual([
      { index: 0, status: 201, route: 'electronic' },
      { index: 1, status: 201, route: 'paper' },
    ]);
    const view = await eventually(async () => {
      const r = await t.http.get(`/v1/agency/messages/${results[0]!.id}`).set(bearer(kela));
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(view).toMatchObject({ route: 'electronic', state: 'sent' });
  });

  it('lets one item fail without stopping the others: invalid fields 400, missing externalId 400, a repeated externalId 409 with the original id', async () => {
    const first = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(small(HETU.maija, 'p-sent-before'));
    expect(first.status).toBe(201);
    const response = await t.http
      .post('/v1/agency/messages/bulk')
      .set(bearer(kela))
      .send({
        messages: [
          small(HETU.maija, 'p-1'),
          small('131052-308A', 'p-2'),
          { ...small(HETU.maija, 'unused'), externalId: undefined },
          small(HETU.maija, 'p-sent-before'),
          small(HETU.maija, 'p-5'),
        ],
      });
    expect(response.status).toBe(200);
    const results = response.body.results as BulkResult[];
    expect(results.map((result) => result.status)).toEqual([201, 400, 400, 409, 201]);
    expect(results[1]!.problem?.errors?.map((error) => error.field)).toEqual(['recipient.hetu']);
    expect(results[2]!.problem?.errors?.map((error) => error.field)).toEqual(['externalId']);
    expect(results[3]!.problem).toMatchObject({ status: 409, id: first.body.id });
    expect(results[3]!.id).toBeUndefined();
    expect(new Set([results[0]!.id, results[4]!.id]).size).toBe(2);
  });

  it('accepts 1,000 messages in one request and sends them all', async () => {
    const messages = Array.from({ length: 1000 }, (_, i) => small(i % 2 === 0 ? HETU.maija : HETU.aino, `limit-${i}`));
    const response = await t.http.post('/v1/agency/messages/bulk').set(bearer(kela)).send({ messages });
    expect(response.status).toBe(200);
    const results = response.body.results as BulkResult[];
    expect(results).toHaveLength(1000);
    expect(results.every((result, index) => result.status === 201 && result.index === index)).toBe(true);
    expect(new Set(results.map((result) => result.id)).size).toBe(1000);
  });

  it('refuses 1,001 messages, or none, as a whole with 400 and sends nothing', async () => {
    const over = Array.from({ length: 1001 }, (_, i) => small(HETU.maija, `over-${i}`));
    const refused = await t.http.post('/v1/agency/messages/bulk').set(bearer(kela)).send({ messages: over });
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const retried = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(small(HETU.maija, 'over-0'));
    expect(retried.status).toBe(201);
    const empty = await t.http.post('/v1/agency/messages/bulk').set(bearer(kela)).send({ messages: [] });
    expect(empty.status).toBe(400);
  });

  it('is for agencies only', async () => {
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
    const response = await t.http.post('/v1/agency/messages/bulk').set(bearer(citizen)).send({ messages: [small(HETU.maija, 'x')] });
    expect(response.status).toBe(403);
  });
});
