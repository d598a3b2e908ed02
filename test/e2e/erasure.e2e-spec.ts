import { OutboxNotifier } from '../../libs/app/src/delivery/outbox-notifier';
import { appTargets } from '../support/app-targets';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { syntheticHetu } from '../support/synthetic-hetu';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 6, item 5 (the personal-data part): contact details are sealed with a key of the
 * person's own, so an erasure destroys the key and leaves the log alone. After it the hash chain
 * still verifies and the account stream still replays, the envelope is still in the log but opens
 * no more, the account shows no contact details and no notification goes out.
 */

const EMAIL = 'erasure.canary.korhonen@example.fi';
const PHONE = '+358409876543';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface AuditItem {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly actor: { readonly type: string; readonly id: string } };
  readonly hash: string;
}

for (const target of appTargets('erasure of personal data')) {
  describe(`erasure of personal data [${target.name}]`, () => {
    let t: TestApp;
    let citizen: string;
    let agency: string;
    let auditor: string;
    let admin: string;
    let citizenRef: string;
    let accountStream: string;
    /** The account stream as an auditor read it before the erasure. */
    let before: AuditItem[];
    let erasedAt: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      env = target.env();
      t = await startTestApp({ env });
      await registerAgency(t, 'kela');
      citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
      expect((await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'fi', email: EMAIL, phone: PHONE })).status).toBe(201);
      expect((await t.http.put('/v1/citizen/consents/kela').set(bearer(citizen))).status).toBe(200);
      agency = await t.token({ role: 'agency', agency: 'kela' });
      auditor = await t.token({ role: 'auditor' });
      admin = await t.token({ role: 'admin' });
      citizenRef = t.runtime.citizenRefs.refOf(HETU.maija);
      accountStream = `account-${citizenRef}`;
    });
    afterAll(async () => {
      await t?.destroy();
      await target.cleanup();
    });

    const outbox = () => OutboxNotifier.inDataDir(t.dataDir).entries();
    const auditStream = async (stream: string): Promise<AuditItem[]> => {
      const answer = await t.http.get(`/v1/audit/streams/${stream}`).set(bearer(auditor));
      expect(answer.status).toBe(200);
      return answer.body.items as AuditItem[];
    };
    const send = async (hetu: string): Promise<string> => {
      const sent = await t.http.post('/v1/agency/messages').set(bearer(agency)).send(decision(hetu, { delivery: 'ordinary' }));
      expect(sent.body).toMatchObject({ route: 'electronic' });
      return sent.body.id as string;
    };

    it('shows the owner the email and phone they gave', async () => {
      const account = await t.http.get('/v1/citizen/account').set(bearer(citizen));
      expect(account.status).toBe(200);
      expect(account.body).toMatchObject({ status: 'open', email: EMAIL, phone: PHONE });
      expect(account.body.personalDataErasedAt).toBeUndefined();
    });

    it('keeps no plaintext contact details in the log: the raw AccountOpened carries a sealed envelope', async () => {
      before = await auditStream(accountStream);
      const opened = before.find((item) => item.type === 'AccountOpened')!;
      expect(opened.data.contact).toEqual({ v: 1, kid: expect.any(String), iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
      expect(Object.keys(opened.data)).not.toContain('email');
      const raw = JSON.stringify(before);
      for (const value of [EMAIL, EMAIL.split('@')[0]!, PHONE, PHONE.slice(1)]) expect(raw).not.toContain(value);
    });

    it('notifies the person of an arrival by the addresses in the envelope while the key exists', async () => {
      await send(HETU.maija);
      await eventually(async () => expect((await outbox()).map((n) => n.to).sort()).toEqual([EMAIL, PHONE].sort()), 5000);
    });

    it('erases at the person’s request: 200 with the time, and PersonalDataErased on the account stream by the citizen', async () => {
      const erased = await t.http.delete('/v1/citizen/personal-data').set(bearer(citizen));
      expect(erased.status).toBe(200);
      erasedAt = erased.body.erasedAt as string;
      expect(Date.parse(erasedAt)).not.toBeNaN();
      const after = await auditStream(accountStream);
      const last = after[after.length - 1]!;
      expect(last).toMatchObject({ type: 'PersonalDataErased', data: { citizenRef, erasedAt }, metadata: { actor: { type: 'citizen', id: citizenRef } } });
    });

    it('shows no contact details any more, and when they were erased', async () => {
      const account = await t.http.get('/v1/citizen/account').set(bearer(citizen));
      expect(account.status).toBe(200);
      expect(account.body).toMatchObject({ status: 'open', personalDataErasedAt: erasedAt, consents: [{ agencyId: 'kela' }] });
      expect(account.body.email).toBeUndefined();
      expect(account.body.phone).toBeUndefined();
    });

    it('leaves every earlier event as it was: the envelope is still in the log, hashes unchanged, and the chain verifies', async () => {
      const after = await auditStream(accountStream);
      expect(after.slice(0, before.length)).toEqual(before);
      const verified = await t.http.get('/v1/audit/verify').set(bearer(auditor));
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ ok: true });
      const stream = await t.http.get('/v1/audit/verify').query({ stream: accountStream }).set(bearer(auditor));
      expect(stream.body).toMatchObject({ ok: true });
    });

    it('still replays the account stream, ending in a state with no contact details and the time of erasure', async () => {
      const replay = await t.http.get(`/v1/audit/streams/${accountStream}/replay`).set(bearer(auditor));
      expect(replay.status).toBe(200);
      const steps = replay.body.steps as { event: { type: string }; state: Record<string, unknown> }[];
      expect(steps.map((s) => s.event.type)).toEqual(['AccountOpened', 'ConsentGranted', 'PersonalDataErased']);
      expect(steps[0]!.state.contact).toEqual(before[0]!.data.contact);
      expect(steps[2]!.state).toMatchObject({ status: 'open', personalDataErasedAt: erasedAt });
      expect(steps[2]!.state.contact).toBeUndefined();
    });

    it('sends no arrival notification after the erasure, and records no reminder', async () => {
      const silent = await send(HETU.maija);
      // A barrier: the arrival manager handles the log in order, so once a later message to
      // someone with an address is notified, it has been past `silent`.
      const other = syntheticHetu(421);
      await openAccountWithConsent(t, other, 'kela', { email: 'barrier@example.fi' });
      await send(other);
      await eventually(async () => expect((await outbox()).map((n) => n.to)).toContain('barrier@example.fi'), 5000);
      expect((await outbox()).filter((n) => n.to === EMAIL || n.to === PHONE)).toHaveLength(2); // the two from before the erasure
      expect((await auditStream(`message-${silent}`)).map((item) => item.type)).toEqual(['MessageSent']);
    });

    it('answers a repeated request with the first time and records nothing new', async () => {
      const count = (await auditStream(accountStream)).length;
      const again = await t.http.delete('/v1/citizen/personal-data').set(bearer(citizen));
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ erasedAt });
      expect(await auditStream(accountStream)).toHaveLength(count);
    });

    it('answers 404 to a person who never had an account, and records nothing', async () => {
      const stranger = await t.token({ role: 'citizen', hetu: syntheticHetu(422) });
      const answer = await t.http.delete('/v1/citizen/personal-data').set(bearer(stranger));
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      const strangerRef = t.runtime.citizenRefs.refOf(syntheticHetu(422));
      expect((await t.http.get(`/v1/audit/streams/account-${strangerRef}`).set(bearer(auditor))).status).toBe(404);
    });

    it('lets an admin erase on a request made outside the service: 201, the admin is the actor; a repeat is 200 with the first time', async () => {
      const matti = await openAccountWithConsent(t, HETU.matti, 'kela', { email: 'matti.erasure@example.fi' });
      const mattiRef = t.runtime.citizenRefs.refOf(HETU.matti);
      const first = await t.http.post('/v1/admin/erasures').set(bearer(admin)).send({ hetu: HETU.matti });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ erasedAt: expect.any(String), citizenRef: mattiRef });
      const repeat = await t.http.post('/v1/admin/erasures').set(bearer(admin)).send({ hetu: HETU.matti });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(first.body);
      const events = await auditStream(`account-${mattiRef}`);
      expect(events.filter((e) => e.type === 'PersonalDataErased')).toEqual([
        expect.objectContaining({ metadata: expect.objectContaining({ actor: expect.objectContaining({ type: 'admin' }) }) }),
      ]);
      const account = await t.http.get('/v1/citizen/account').set(bearer(matti));
      expect(account.body.email).toBeUndefined();
    });

    it('refuses an admin erasure for an invalid henkilötunnus (400) or a person with no account (404), without echoing the code', async () => {
      const invalid = await t.http.post('/v1/admin/erasures').set(bearer(admin)).send({ hetu: '131052-308A' });
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body)).not.toContain('131052-308A');
      const nobody = syntheticHetu(423);
      const unknown = await t.http.post('/v1/admin/erasures').set(bearer(admin)).send({ hetu: nobody });
      expect(unknown.status).toBe(404);
      expect(JSON.stringify(unknown.body)).not.toContain(nobody);
    });

    it('keeps the erasure after a restart: the old envelope stays unreadable, and new details given on reopening are shown', async () => {
      await t.close();
      t = await startTestApp({ dataDir: t.dataDir, env }); // same DATA_DIR and, on MongoDB, the same database
      citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
      auditor = await t.token({ role: 'auditor' });
      const account = await t.http.get('/v1/citizen/account').set(bearer(citizen));
      expect(account.body.email).toBeUndefined();
      expect(account.body.personalDataErasedAt).toBe(erasedAt);
      // The envelope in the log is intact and well-formed; only its key is gone.
      const envelope = before[0]!.data.contact as Parameters<TestApp['runtime']['personalData']['open']>[1];
      expect(await t.runtime.personalData.open(citizenRef, envelope)).toBeNull();

      expect((await t.http.delete('/v1/citizen/account').set(bearer(citizen))).status).toBe(200);
      const reopened = await t.http.post('/v1/citizen/account').set(bearer(citizen)).send({ language: 'fi', email: 'uusi.osoite@example.fi' });
      expect(reopened.status).toBe(201);
      expect(reopened.body).toMatchObject({ status: 'open', email: 'uusi.osoite@example.fi', personalDataErasedAt: erasedAt });
      const events = await auditStream(accountStream);
      const openings = events.filter((e) => e.type === 'AccountOpened').map((e) => (e.data.contact as { kid: string }).kid);
      expect(openings).toHaveLength(2);
      expect(openings[1]).not.toBe(openings[0]); // a new key: the erased one is never brought back
      expect((await t.http.get('/v1/audit/verify').set(bearer(auditor))).body).toMatchObject({ ok: true });
    });
  });
}
