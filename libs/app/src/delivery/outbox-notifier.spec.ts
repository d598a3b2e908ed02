import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Notification } from '@asiointitili/core';
import { NOTIFICATION_TEXTS } from './notification-text';
import { NOTIFICATIONS_FILE, OUTBOX_DIRECTORY, OutboxNotifier } from './outbox-notifier';

const arrival = (overrides: Partial<Notification> = {}): Notification => ({
  id: 'n-1',
  channel: 'email',
  to: 'maija@example.fi',
  language: 'fi',
  template: 'arrival',
  ...overrides,
});

describe('the embedded notifier (outbox file)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outbox-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('appends each notification as one JSON line in DATA_DIR/outbox/notifications.jsonl with the fixed text of its language', async () => {
    const outbox = OutboxNotifier.inDataDir(dataDir);
    await outbox.send(arrival());
    await outbox.send(arrival({ id: 'n-2', channel: 'sms', to: '+358401234567', language: 'sv', template: 'reminder' }));

    const lines = (await readFile(join(dataDir, OUTBOX_DIRECTORY, NOTIFICATIONS_FILE), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ ...arrival(), subject: 'Uusi viesti', text: 'Asiointitiliisi on saapunut uusi viesti.' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: 'n-2', channel: 'sms', to: '+358401234567', text: NOTIFICATION_TEXTS.sv.reminder.text });
  });

  it('drops a repeated id, also when the outbox is opened again after a restart', async () => {
    await OutboxNotifier.inDataDir(dataDir).send(arrival());
    await OutboxNotifier.inDataDir(dataDir).send(arrival());
    const reopened = OutboxNotifier.inDataDir(dataDir);
    await Promise.all([reopened.send(arrival()), reopened.send(arrival({ id: 'n-2' })), reopened.send(arrival({ id: 'n-2' }))]);
    expect((await reopened.entries()).map((e) => e.id)).toEqual(['n-1', 'n-2']);
  });

  it('keeps later notifications whole after a line torn by a crash mid-append', async () => {
    const outbox = OutboxNotifier.inDataDir(dataDir);
    await outbox.send(arrival());
    await appendFile(outbox.file, '{"id":"n-torn","chan');
    const afterCrash = OutboxNotifier.inDataDir(dataDir);
    await afterCrash.send(arrival({ id: 'n-torn' }));
    expect((await afterCrash.entries()).map((e) => e.id)).toEqual(['n-1', 'n-torn']);
  });

  it('carries no link and nothing of the message in any language or template', () => {
    for (const byTemplate of Object.values(NOTIFICATION_TEXTS)) {
      for (const { subject, text } of Object.values(byTemplate)) {
        expect(`${subject} ${text}`).not.toMatch(/https?:|www\.|\.fi\b|\.com\b|@/i);
      }
    }
  });

  it.each([
    ['an unknown channel', { channel: 'fax' }],
    ['several addresses', { to: 'a@example.fi, b@example.fi' }],
    ['an empty address', { to: '' }],
    ['an id with a slash', { id: '../n' }],
    ['an unknown language', { language: 'de' }],
    ['an unknown template', { template: 'marketing' }],
  ])('refuses %s before writing anything', async (_what, overrides) => {
    const outbox = OutboxNotifier.inDataDir(dataDir);
    expect(() => outbox.send(arrival(overrides as Partial<Notification>))).toThrow(TypeError);
    expect(await readdir(dataDir)).toEqual([]);
  });
});
