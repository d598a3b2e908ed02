import { decision, HETU, startAppWithAgency } from '../support/fixtures';
import { eventually, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;
  let kela: string;
  beforeAll(async () => {
    ({ t, agencyToken: kela } = await startAppWithAgency('kela', [HETU.maija]));
  });
  afterAll(() => t.destroy());

  it('exposes, without a token, the command, append, HTTP and projection-lag series after a send', async () => {
    const sent = await t.http.post('/v1/agency/messages').set(bearer(kela)).send(decision(HETU.maija));
    expect(sent.status).toBe(201);
    const text = await eventually(async () => {
      const response = await t.http.get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(sample(response.text, 'asiointitili_projection_lag_positions{projection="read-models"}')).toBe(0);
      return response.text;
    });
    expect(sample(text, 'asiointitili_commands_total{type="SendMessage",outcome="appended"}')).toBe(1);
    expect(sample(text, 'asiointitili_commands_total{type="OpenAccount",outcome="appended"}')).toBe(1);
    expect(sample(text, 'asiointitili_event_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'asiointitili_http_request_duration_seconds_count{method="POST",route="/v1/agency/messages",status="201"}')).toBe(1);
    expect(sample(text, 'asiointitili_projection_lag_seconds{projection="read-models"}')).toBe(0);
    expect(text).toContain('asiointitili_process_resident_memory_bytes');
  });

  it('labels requests by route template, never by a path holding an id or a henkilötunnus', async () => {
    await t.http.get(`/v1/agency/recipients/${HETU.maija}`).set(bearer(kela));
    await t.http.get('/v1/agency/messages/m-does-not-exist').set(bearer(kela));
    await t.http.get('/no/such/route');
    const text = (await t.http.get('/metrics')).text;
    expect(sample(text, 'asiointitili_http_request_duration_seconds_count{method="GET",route="/v1/agency/recipients/:hetu",status="200"}')).toBe(1);
    expect(sample(text, 'asiointitili_http_request_duration_seconds_count{method="GET",route="/v1/agency/messages/:id",status="404"}')).toBe(1);
    expect(sample(text, 'asiointitili_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain(HETU.maija);
    expect(text).not.toContain('m-does-not-exist');
  });

  it('is marked in the OpenAPI document as a public operations endpoint with no bearer requirement', async () => {
    const document = (await t.http.get('/docs/openapi.json')).body as { paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>> };
    const operation = document.paths['/metrics']?.get;
    expect(operation?.tags).toEqual(['operations']);
    expect(operation?.security ?? []).toEqual([]);
  });
});
