import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { UndeliverableNotificationError, type Notification } from '@asiointitili/core';
import { createDelivery } from './create-delivery';
import { OutboxNotifier } from './outbox-notifier';
import { SmtpNotifier } from './smtp-notifier';

interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

/** A real SMTP server on a free loopback port that keeps what it is given. */
async function startSmtpServer(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = session.envelope;
        received.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const notification = (overrides: Partial<Notification> = {}): Notification => ({
  id: '0b9f9d3c-7a1e-5c1d-9f7e-1a2b3c4d5e6f',
  channel: 'email',
  to: 'maija@example.fi',
  language: 'fi',
  template: 'arrival',
  ...overrides,
});

/** The decoded body of a plain-text mail (nodemailer encodes non-ASCII as quoted-printable). */
function bodyOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8').trim();
}

describe('the production email notifier (SMTP through nodemailer, against a real SMTP server)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let dataDir: string;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    dataDir = await mkdtemp(join(tmpdir(), 'smtp-'));
  });
  afterEach(async () => {
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('mails the fixed text of the language in plain text, from NOTIFY_FROM, with a Message-ID derived from the notification id', async () => {
    const notifier = new SmtpNotifier({ url: smtp.url, from: 'Asiointitili <noreply@asiointitili.example>' });
    try {
      await notifier.send(notification());
    } finally {
      await notifier.close();
    }
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe('noreply@asiointitili.example');
    expect(mail!.to).toEqual(['maija@example.fi']);
    expect(mail!.raw).toMatch(/^Subject: Uusi viesti\r$/m);
    expect(mail!.raw).toMatch(/^Message-ID: <0b9f9d3c-7a1e-5c1d-9f7e-1a2b3c4d5e6f@asiointitili\.invalid>\r$/im);
    expect(mail!.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(bodyOf(mail!.raw)).toBe('Asiointitiliisi on saapunut uusi viesti.');
    expect(mail!.raw).not.toMatch(/https?:\/\//);
  });

  it('turns a permanent refusal (5xx) into UndeliverableNotificationError without the address, and passes a temporary one (4xx) on', async () => {
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = address.address.startsWith('full') ? 452 : 550;
        callback(Object.assign(new Error(`<${address.address}>: refused`), { responseCode: code }));
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.server.address() as AddressInfo;
    const notifier = new SmtpNotifier({ url: `smtp://127.0.0.1:${port}`, from: 'noreply@asiointitili.invalid' });
    try {
      const permanent = notifier.send(notification({ to: 'gone@example.fi' }));
      await expect(permanent).rejects.toBeInstanceOf(UndeliverableNotificationError);
      await expect(notifier.send(notification({ to: 'gone@example.fi' }))).rejects.not.toThrow(/gone@example/);
      const temporary = notifier.send(notification({ to: 'full@example.fi' }));
      await expect(temporary).rejects.toThrow();
      await expect(notifier.send(notification({ to: 'full@example.fi' }))).rejects.not.toBeInstanceOf(UndeliverableNotificationError);
    } finally {
      await notifier.close();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('refuses an SMS: SMTP carries email only', async () => {
    const notifier = new SmtpNotifier({ url: smtp.url, from: 'noreply@asiointitili.example' });
    try {
      await expect(notifier.send(notification({ channel: 'sms', to: '+358401234567' }))).rejects.toThrow(/SMTP delivers email/);
    } finally {
      await notifier.close();
    }
    expect(smtp.received).toHaveLength(0);
  });

  it('sends email over SMTP and SMS to the outbox when SMTP_URL is set', async () => {
    const delivery = createDelivery({ dataDir, smtpUrl: smtp.url, notifyFrom: 'noreply@asiointitili.example' });
    try {
      await delivery.notifier.send(notification({ language: 'en', template: 'reminder' }));
      await delivery.notifier.send(notification({ id: 'sms-1', channel: 'sms', to: '+358401234567' }));
    } finally {
      await delivery.close();
    }
    expect(smtp.received).toHaveLength(1);
    expect(bodyOf(smtp.received[0]!.raw)).toBe('A message in your Asiointitili account is still unread.');
    expect((await OutboxNotifier.inDataDir(dataDir).entries()).map((e) => [e.id, e.channel])).toEqual([['sms-1', 'sms']]);
  });

  it('sends everything to the outbox when SMTP_URL is not set', async () => {
    const delivery = createDelivery({ dataDir, notifyFrom: 'noreply@asiointitili.example' });
    await delivery.notifier.send(notification());
    await delivery.close();
    expect(smtp.received).toHaveLength(0);
    expect((await OutboxNotifier.inDataDir(dataDir).entries()).map((e) => e.channel)).toEqual(['email']);
  });
});
