import { startTestApp, type TestApp, type TestAppOptions } from './test-app';

/** Valid henkilötunnus values for tests (checksums computed by hand; none belongs to a real person). */
export const HETU = {
  maija: '131052-308T',
  matti: '010101-123N',
  aino: '020202A002F',
} as const;

/** A valid Y-tunnus. */
export const BUSINESS_ID = '0737546-2';

export async function registerAgency(t: TestApp, id: string): Promise<void> {
  const admin = await t.token({ role: 'admin' });
  const response = await t.http.post('/v1/admin/agencies').set('Authorization', `Bearer ${admin}`).send({ id, name: `Agency ${id}`, businessId: BUSINESS_ID });
  if (response.status !== 201) throw new Error(`register agency ${id}: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function openAccountWithConsent(t: TestApp, hetu: string, agencyId: string, extra: { email?: string } = {}): Promise<string> {
  const token = await t.token({ role: 'citizen', hetu });
  const opened = await t.http.post('/v1/citizen/account').set('Authorization', `Bearer ${token}`).send({ language: 'fi', ...extra });
  if (opened.status !== 201) throw new Error(`open account: ${opened.status} ${JSON.stringify(opened.body)}`);
  const consent = await t.http.put(`/v1/citizen/consents/${agencyId}`).set('Authorization', `Bearer ${token}`);
  if (consent.status !== 200) throw new Error(`consent: ${consent.status} ${JSON.stringify(consent.body)}`);
  return token;
}

export function decision(hetu: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recipient: { hetu },
    kind: 'decision',
    delivery: 'registered',
    subject: 'Päätös toimeentulotuesta',
    body: 'Teille on myönnetty toimeentulotukea ajalle 1.12.–31.12.',
    replyAllowed: false,
    ...overrides,
  };
}

/** The common start of an agency-side suite: the app, one registered agency and its token, and citizens who consent to it. */
export async function startAppWithAgency(
  agencyId: string,
  consenting: readonly string[] = [],
  options: TestAppOptions = {},
): Promise<{ readonly t: TestApp; readonly agencyToken: string }> {
  const t = await startTestApp(options);
  await registerAgency(t, agencyId);
  for (const hetu of consenting) await openAccountWithConsent(t, hetu, agencyId);
  return { t, agencyToken: await t.token({ role: 'agency', agency: agencyId }) };
}
