import { Client, type ClientConfig } from 'pg';

/**
 * One LISTEN connection per store, shared by its subscriptions: a NOTIFY from any process's commit
 * wakes them at once. The connection is reopened with growing delays when it drops (a server
 * restart); after a reconnect every listener is woken, since notifications sent while nobody was
 * listening are lost. Subscriptions also poll, so a lost notification only delays delivery.
 */
export class NotificationListener {
  private readonly listeners = new Set<() => void>();
  private client: Client | null = null;
  private connecting = false;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
  ) {}

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.connecting && !this.retryTimer) void this.connect();
    return () => this.listeners.delete(listener);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private notifyAll(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.connecting = true;
    const client = new Client(this.config);
    let dropped = false;
    const drop = (): void => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.notifyAll();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.closed || dropped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.failures = 0;
      this.notifyAll();
    } catch {
      drop();
    } finally {
      this.connecting = false;
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.failures += 1;
    const delay = Math.min(100 * 2 ** (this.failures - 1), 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listeners.size > 0) void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
