import { Webhook } from 'standardwebhooks';
import { appTargets } from '../support/app-targets';
import { decision, HETU, openAccountWithConsent, registerAgency } from '../support/fixtures';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';

const WEBHOOK_ENV = { WEBHOOK_INTERVAL_MS: '20', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '300', WEBHOOK_TIMEOUT_MS: '500' };

describe.each(appTargets('webhooks'))('agency webhooks, end to end ($name)', (target) => {
  let t: TestApp;
  let agency: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...target.env(), ...WEBHOOK_ENV } });
    await registerAgency(t, 'kela');
    await registerAgency(t, 'vero');
    await openAccountWithConsent(t, HETU.maija, 'kela');
    agency = await t.token({ role: 'agency', agency: 'kela' });
  });
  afterAll(async () => {
    await t.destroy();
    await target.cleanup();
  });

  const subscribe = (url: string, token = agency) => t.http.post('/v1/agency/webhooks').set('Authorization', `Bearer ${token}`).send({ url });
  const remove = (id: string, token = agency) => t.http.delete(`/v1/agency/webhooks/${id}`).set('Authorization', `Bearer ${token}`);
  /** Removes every webhook of the agency, so a failed test leaves none behind for the next. */
  const removeAll = async () => {
    const list = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
    for (const w of (list.body.items ?? []) as { id: string }[]) await remove(w.id);
  };
  const send = (externalId: string) => t.http.post('/v1/agency/messages').set('Authorization', `Bearer ${agency}`).send(decision(HETU.maija, { delivery: 'ordinary', externalId }));

  it('pushes every feed item to the receiver in feed order, signed as Standard Webhooks says, the same objects as the feed', async () => {
    const receiver = await startReceiver(() => 204);
    try {
      const created = await subscribe(receiver.url);
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toMatchObject({ id: expect.stringMatching(/^wh_/), url: receiver.url, secret: expect.stringMatching(/^whsec_/) });
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const sent = await send(`push-${n}`);
        expect(sent.status).toBe(201);
        ids.push(sent.body.id);
      }
      await eventually(async () => expect(receiver.received.length).toBeGreaterThanOrEqual(3), 10_000);

      const verifier = new Webhook(created.body.secret);
      const items = receiver.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { cursor: string; messageId: string; type: string });
      expect(items.map((i) => i.messageId)).toEqual(ids);
      expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(items.map((i) => `evt_${i.cursor}`));
      const feed = await t.http.get('/v1/agency/events').set('Authorization', `Bearer ${agency}`);
      const sentItems = feed.body.items.filter((i: { messageId?: string }) => ids.includes(i.messageId ?? ''));
      expect(items).toEqual(sentItems);

      // A forged or altered body does not verify with the agency's secret.
      expect(() => verifier.verify(receiver.received[0]!.body.replace('sent', 'read'), receiver.received[0]!.headers as Record<string, string>)).toThrow();

      // The dispatcher records a delivery just after the receiver answered: read until it has.
      const list = await eventually(async () => {
        const r = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
        expect(r.status).toBe(200);
        expect(r.body.items).toEqual([expect.objectContaining({ id: created.body.id, url: receiver.url, state: 'delivering', delivered: 3, failures: 0, lastDeliveredCursor: items[2]!.cursor })]);
        return r;
      });
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
      expect((await remove(created.body.id)).status).toBe(200);
    } finally {
      await removeAll();
      await receiver.close();
    }
  });

  it('keeps retrying a receiver that fails for a while, showing the failure, and then delivers everything in order', async () => {
    let failing = true;
    const receiver = await startReceiver(() => (failing ? 503 : 200));
    try {
      const created = await subscribe(receiver.url);
      expect(created.status).toBe(201);
      const ids = [(await send('retry-1')).body.id, (await send('retry-2')).body.id];
      const retrying = await eventually(async () => {
        const list = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
        const view = list.body.items.find((w: { id: string }) => w.id === created.body.id);
        expect(view).toMatchObject({ state: 'retrying', failures: expect.any(Number), lastFailure: { status: 503, reason: 'answered 503' } });
        expect(view.failures).toBeGreaterThanOrEqual(2);
        return view;
      }, 10_000);
      expect(retrying.nextAttemptAt).toEqual(expect.any(String));
      failing = false;
      await eventually(async () => {
        const taken = receiver.received.filter((_r, i) => i >= receiver.received.length - 2).map((r) => JSON.parse(r.body).messageId);
        expect(taken).toEqual(ids);
      }, 10_000);
      // Every attempt carried the first pending item until it was taken: nothing skipped, nothing out of order.
      const order = receiver.received.map((r) => JSON.parse(r.body).messageId as string);
      expect(order.indexOf(ids[1]!)).toBeGreaterThan(order.lastIndexOf(ids[0]!) - 1);
      expect(order.slice(0, order.indexOf(ids[1]!)).every((m) => m === ids[0])).toBe(true);
      await eventually(async () => {
        const after = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
        expect(after.body.items.find((w: { id: string }) => w.id === created.body.id)).toMatchObject({ state: 'delivering', failures: 0, delivered: 2 });
      });
    } finally {
      await removeAll();
      await receiver.close();
    }
  });

  it('treats a receiver that does not answer in time as a failure and retries the same item', async () => {
    const receiver = await startReceiver((_r, call) => (call === 1 ? 'hang' : 200));
    try {
      const created = await subscribe(receiver.url);
      const id = (await send('slow-1')).body.id;
      await eventually(async () => {
        const list = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
        expect(list.body.items.find((w: { id: string }) => w.id === created.body.id)).toMatchObject({ state: 'delivering', delivered: 1 });
      }, 10_000);
      expect(receiver.received.map((r) => JSON.parse(r.body).messageId)).toEqual([id, id]);
    } finally {
      await removeAll();
      await receiver.close();
    }
  });

  it('stops delivering to a removed webhook; removing it again answers 200 with the first time', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const created = await subscribe(receiver.url);
      const first = await remove(created.body.id);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ id: created.body.id, removedAt: expect.any(String) });
      const again = await remove(created.body.id);
      expect(again.body.removedAt).toBe(first.body.removedAt);
      await send('after-removal');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toEqual([]);
      const list = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
      expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(created.body.id);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a URL that is not https (except loopback in development) with 422, and a missing one with 400, recording nothing', async () => {
    for (const url of ['http://hooks.kela.example/feed', 'ftp://hooks.kela.example/feed', 'not a url', 'https://user:secret@hooks.kela.example/']) {
      const refused = await subscribe(url);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    }
    const missing = await t.http.post('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`).send({});
    expect(missing.status).toBe(400);
    const list = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${agency}`);
    expect(list.body.items).toEqual([]);
  });

  it('allows a handful of webhooks per agency: the sixth answers 409', async () => {
    await removeAll();
    const created: string[] = [];
    for (let n = 0; n < 5; n++) {
      const r = await subscribe(`https://hooks.kela.example/feed/${n}`);
      expect(r.status).toBe(201);
      created.push(r.body.id);
    }
    const sixth = await subscribe('https://hooks.kela.example/feed/6');
    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ status: 409, detail: expect.stringContaining('at most 5') });
    for (const id of created) await remove(id);
  });

  it('shows and removes only the agency\'s own webhooks; other roles are refused', async () => {
    const mine = await subscribe('https://hooks.kela.example/own');
    const vero = await t.token({ role: 'agency', agency: 'vero' });
    expect((await remove(mine.body.id, vero)).status).toBe(404);
    const theirs = await t.http.get('/v1/agency/webhooks').set('Authorization', `Bearer ${vero}`);
    expect(theirs.body.items).toEqual([]);
    const citizen = await t.token({ role: 'citizen', hetu: HETU.maija });
    expect((await subscribe('https://hooks.kela.example/c', citizen)).status).toBe(403);
    expect((await t.http.post('/v1/agency/webhooks').send({ url: 'https://hooks.kela.example/x' })).status).toBe(401);
    expect((await remove('wh_nosuchwebhookatallxx')).status).toBe(404);
    expect((await remove('not-a-webhook-id')).status).toBe(400);
    await remove(mine.body.id);
  });
});
