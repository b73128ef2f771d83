// The Redis connection pair shared by the mirror, the follower and the abort channel: a command client
// and a subscriber on this instance's channel, their up/down state, and the one warning when Redis is
// unavailable. "Up" means both are ready and subscribed, so a Stop sent to this instance arrives.
//
// No offline queue and bounded waits: a Redis that is down, or takes connections or commands without
// answering, must fail fast instead of holding a chat, a resume or a Stop.
import type { Log, RedisClient } from './redis-keys';

export type ConnectionState = 'connecting' | 'up' | 'down' | 'closed';

export interface RedisConnectionOptions {
  url: string;
  /** Bound on connecting and on each read made for a request. */
  timeoutMs: number;
  log: Log;
  /** This instance's channel, and what to do with its messages. */
  channel: string;
  onMessage: (message: string) => void;
  /** Called on every transition to up (after the first connection and each recovery). */
  onUp: () => void;
  /** Called on every transition to down, before the warning. */
  onDown: () => void;
}

export class RedisConnection {
  client: RedisClient | undefined;
  private subscriber: RedisClient | undefined;
  private subscribed = false;
  private subscribing: RedisClient | undefined;
  private current: ConnectionState = 'connecting';
  private warned = false;
  private markUp!: () => void;
  private readonly firstUp = new Promise<void>((resolve) => (this.markUp = resolve));
  private connectDeadline: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisConnectionOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** Starts connecting; both connections then retry on their own until close. */
  start(): void {
    // node-redis has no handshake timeout: a server that accepts but never answers would leave the
    // pending mirrors queueing forever.
    this.connectDeadline = setTimeout(() => {
      if (this.current === 'connecting') this.down(new Error('no answer from Redis while connecting'));
    }, 2_000 + this.options.timeoutMs);
    this.connectDeadline.unref();
    void this.open();
  }

  private async open(): Promise<void> {
    // Loaded only when REDIS_URL is set.
    const { createClient } = await import('redis');
    if (this.current === 'closed') return;
    // No offline queue: while Redis is unreachable a command fails at once instead of piling up.
    const client = createClient({ url: this.options.url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 } });
    const subscriber = client.duplicate();
    this.client = client;
    this.subscriber = subscriber;
    this.subscribed = false;
    for (const c of [client, subscriber]) {
      // Events of a pair replaced by stalled() no longer count.
      c.on('error', (error: unknown) => this.client === client && this.down(error));
      c.on('ready', () => this.client === client && this.ready());
    }
    subscriber.on('ready', () => this.subscribe(subscriber));
    // Both retry on their own (with backoff) until close(); failures arrive as 'error' events.
    client.connect().catch(() => undefined);
    subscriber.connect().catch(() => undefined);
  }

  /** Subscribes to this instance's channel; a failed SUBSCRIBE leaves no subscription, so it is retried on the next 'ready'. */
  private subscribe(subscriber: RedisClient): void {
    if (this.subscriber !== subscriber || this.subscribed || this.subscribing === subscriber) return;
    this.subscribing = subscriber;
    subscriber
      .subscribe(this.options.channel, (message) => this.options.onMessage(message))
      .then(
        () => {
          if (this.subscribing === subscriber) this.subscribing = undefined;
          if (this.subscriber !== subscriber) return;
          this.subscribed = true;
          this.ready();
        },
        (error: unknown) => {
          if (this.subscribing === subscriber) this.subscribing = undefined;
          if (this.subscriber === subscriber) this.down(error);
        },
      );
  }

  /** Redis takes commands but stopped answering: down, and connect afresh (the stalled connections are dropped). */
  stalled(error: unknown): void {
    if (this.current === 'closed') return;
    const stale = [this.client, this.subscriber];
    this.client = this.subscriber = undefined;
    this.subscribed = false;
    this.down(error);
    for (const c of stale) if (c?.isOpen) c.destroy();
    void this.open();
  }

  private ready(): void {
    if (this.current === 'closed' || this.current === 'up') return;
    if (!this.client?.isReady || !this.subscriber?.isReady || !this.subscribed) return;
    this.current = 'up';
    this.markUp();
    if (this.warned) {
      this.warned = false;
      this.options.log.info('[resume] Redis is reachable again: new answers can be resumed from any instance');
    }
    this.options.onUp();
  }

  private down(error: unknown): void {
    if (this.current === 'closed') return;
    this.current = 'down';
    this.options.onDown();
    this.warnOnce(error);
    // An error that left both connections up (e.g. an unparsable reply) brings no 'ready' after it: check again.
    if (this.client?.isReady && this.subscriber?.isReady && this.subscribed) setImmediate(() => this.ready());
  }

  /** One warning per outage, however many answers it touches. */
  warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    this.options.log.warn(`[resume] Redis unavailable (${reason}): answers can be resumed only on the instance generating them until it is back`);
  }

  /** The client for commands, when connected. */
  writer(): RedisClient | undefined {
    return this.current === 'up' && this.client?.isReady ? this.client : undefined;
  }

  /** Up, or waits (at most `waitMs`) for the first connection. */
  async whenUp(waitMs = this.options.timeoutMs): Promise<boolean> {
    if (this.current === 'connecting') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.firstUp, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return this.writer() !== undefined;
  }

  /** `promise`, or a rejection after `ms`: Redis must not hold a request for long. */
  async bounded<T>(promise: Promise<T>, ms = this.options.timeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Marks the connection closed (nothing reconnects, no more events count); returns the writer it had. */
  shut(): RedisClient | undefined {
    const writer = this.writer();
    this.current = 'closed';
    clearTimeout(this.connectDeadline);
    return writer;
  }

  /** Closes both connections (after shut()). */
  async disconnect(): Promise<void> {
    await Promise.all(
      [this.subscriber, this.client].map(async (c) => {
        if (!c?.isOpen) return;
        if (!c.isReady) return c.destroy();
        await this.bounded(c.close()).catch(() => {
          if (c.isOpen) c.destroy();
        });
      }),
    );
  }
}
