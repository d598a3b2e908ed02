import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { appTargets } from '../support/app-targets';
import { eventually, startTestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe.each(appTargets('restart'))('restart on the same configuration ($name)', (target) => {
  afterAll(() => target.cleanup());

  it('loses nothing that was acknowledged: messages, acknowledgements, read models, keys and tokens survive', async () => {
    const env = target.env();
    const first = await startTestApp({ env });
    await registerAgency(first, 'kela');
    const citizenToken = await openAccountWithConsent(first, HETU.maija, 'kela');
    const agencyToken = await first.token({ role: 'agency', agency: 'kela' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await first.http.post('/v1/agency/messages').set(bearer(agencyToken)).send(decision(HETU.maija, { externalId: `restart-${i}` }));
      expect(sent.status).toBe(201);
      ids.push(sent.body.id);
    }
    const ack = await first.http.post(`/v1/citizen/messages/${ids[0]}/acknowledgement`).set(bearer(citizenToken));
    expect(ack.status).toBe(201);
    await first.close();

    const second = await startTestApp({ dataDir: first.dataDir, env });
    try {
      // Tokens minted before the restart still verify: the signing key lives in DATA_DIR.
      const inbox = await eventually(async () => {
        const r = await second.http.get('/v1/citizen/messages').set(bearer(citizenToken));
        expect(r.body.items).toHaveLength(5);
        return r.body.items as { id: string; state: string }[];
      });
      expect(inbox.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(inbox.find((m) => m.id === ids[0])?.state).toBe('acknowledged');
      const repeat = await second.http.post(`/v1/citizen/messages/${ids[0]}/acknowledgement`).set(bearer(citizenToken));
      expect(repeat.status).toBe(200);
      expect(repeat.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
      const duplicate = await second.http.post('/v1/agency/messages').set(bearer(agencyToken)).send(decision(HETU.maija, { externalId: 'restart-3' }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.id).toBe(ids[3]);
      const auditor = await second.token({ role: 'auditor' });
      const verify = await second.http.get('/v1/audit/verify').set(bearer(auditor));
      expect(verify.body.ok).toBe(true);
    } finally {
      await second.destroy();
    }
  });
});

describe('restart on the embedded default', () => {
  it('rebuilds missing read models from the log at start when the embedded read-model file is gone', async () => {
    const first = await startTestApp();
    await registerAgency(first, 'kela');
    const citizenToken = await openAccountWithConsent(first, HETU.matti, 'kela');
    const agencyToken = await first.token({ role: 'agency', agency: 'kela' });
    await first.http.post('/v1/agency/messages').set(bearer(agencyToken)).send(decision(HETU.matti));
    await eventually(async () => expect((await first.http.get('/v1/citizen/messages').set(bearer(citizenToken))).body.items).toHaveLength(1));
    await first.close();
    const { rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    for (const file of ['read-models.sqlite', 'read-models.sqlite-wal', 'read-models.sqlite-shm']) await rm(join(first.dataDir, file), { force: true });

    const second = await startTestApp({ dataDir: first.dataDir });
    try {
      await eventually(async () => expect((await second.http.get('/v1/citizen/messages').set(bearer(citizenToken))).body.items).toHaveLength(1));
    } finally {
      await second.destroy();
    }
  });
});
