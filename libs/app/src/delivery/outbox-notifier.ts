import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Notification, Notifier } from '@asiointitili/core';
import { assertDeliverable, notificationText } from './notification-text';

export const OUTBOX_DIRECTORY = 'outbox';
export const NOTIFICATIONS_FILE = 'notifications.jsonl';

/** One line of the outbox: the notification and the exact words it carries. */
export interface OutboxEntry extends Notification {
  readonly subject: string;
  readonly text: string;
}

/**
 * The embedded notifier: every notification becomes one JSON line appended to
 * `<DATA_DIR>/outbox/notifications.jsonl`, flushed to disk before `send` resolves. A repeated id
 * (a process manager retrying after a crash) is dropped, so each notification is in the outbox
 * once. SMS always goes here, also in production: there is no SMS gateway adapter yet.
 *
 * One writer per file is assumed (the worker); sends within the process are serialised.
 */
export class OutboxNotifier implements Notifier {
  private ids = new Set<string>();
  /** Size of the file when `ids` was read: a different size means someone else appended. */
  private knownSize = -1;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): OutboxNotifier {
    return new OutboxNotifier(join(dataDir, OUTBOX_DIRECTORY, NOTIFICATIONS_FILE));
  }

  send(notification: Notification): Promise<void> {
    assertDeliverable(notification);
    const run = this.tail.then(() => this.append(notification));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Everything in the outbox, oldest first (operators and tests read it). */
  async entries(): Promise<OutboxEntry[]> {
    return parseLines(await readIfExists(this.file)).entries;
  }

  async close(): Promise<void> {
    await this.tail;
  }

  private async append(notification: Notification): Promise<void> {
    const { endsWithNewline } = await this.refresh();
    if (this.ids.has(notification.id)) return;
    const entry: OutboxEntry = { ...pick(notification), ...notificationText(notification) };
    // A crash mid-append can leave a torn last line; start on a fresh line so this one stays whole.
    const line = `${endsWithNewline ? '' : '\n'}${JSON.stringify(entry)}\n`;
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(line);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.ids.add(notification.id);
    this.knownSize += Buffer.byteLength(line);
  }

  private async refresh(): Promise<{ endsWithNewline: boolean }> {
    const size = await sizeOf(this.file);
    if (size === this.knownSize) return { endsWithNewline: true };
    const text = await readIfExists(this.file);
    this.ids = new Set(parseLines(text).entries.map((entry) => entry.id));
    this.knownSize = Buffer.byteLength(text);
    return { endsWithNewline: text.length === 0 || text.endsWith('\n') };
  }
}

/** Only the port's fields: nothing a caller adds by accident reaches the file. */
function pick(n: Notification): Notification {
  return { id: n.id, channel: n.channel, to: n.to, language: n.language, template: n.template };
}

function parseLines(text: string): { entries: OutboxEntry[] } {
  const entries: OutboxEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as OutboxEntry);
    } catch {
      // A torn line from a crash mid-append: that notification was never confirmed as sent, so
      // its process manager retries it and it is written again whole.
    }
  }
  return { entries };
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
