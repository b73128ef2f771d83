// Answers shared between instances through Redis (REDIS_URL): any instance can resume an answer another
// one is generating, and pass a Stop on to it.
//
// Keys (prefix `kimi-chat:`):
//   answer:{conversationId}              hash: messageId, userId, owner (instance id), startedAt, and
//                                        `ended` = the messageId once that answer ended
//   answer:{conversationId}:{messageId}  stream: entries `d` = a run of the SSE body (the exact bytes
//                                        sent to the browser, in order), then one `end` entry
// While an answer runs both keys live for LIVE_TTL, renewed by a heartbeat (a crashed writer's keys go
// away by themselves); when it ends they are kept for ENDED_TTL so a late reload still replays it.
// Channel instance:{instanceId}: abort requests ({conversationId, messageId, userId, reason}) for the
// answers that instance generates.
//
// The chat's hot path never waits for Redis: chunks are queued synchronously and written every few
// milliseconds as one XADD (node-redis pipelines the commands of a flush into one socket write). Redis
// unavailable (at start or mid-answer): the affected answers stop being mirrored, one warning is logged,
// and resume falls back to the instance generating the answer; the chat itself is untouched. When Redis
// is back, the half-written copies are removed (followers elsewhere end, later resumes get 204) and new
// answers are mirrored again. A Redis that takes connections or commands but does not answer counts as
// unavailable too (connect deadline, unanswered-writes limit, bounded reads); followers are capped.
import type { createClient } from 'redis';
import type { AbortReason, AbortRequest, AnswerMirror, LiveAnswer, StreamRelay } from './active-streams';

type RedisClient = ReturnType<typeof createClient>;
type Log = Pick<Console, 'warn' | 'info'>;

export interface RedisRelayOptions {
  url: string;
  /** Prefix of every key and channel (tests use their own). */
  prefix?: string;
  /** Lifetime of a running answer's keys, renewed every third of it. */
  liveTtlMs?: number;
  /** How long an ended answer stays replayable. */
  endedTtlMs?: number;
  /** Chunks arriving within this window go to Redis as one entry. */
  flushMs?: number;
  /** A follower waits this long for new entries before checking the answer still exists. */
  blockMs?: number;
  /** Bound on connecting and on each read made for a request (resume, stop, page load). */
  timeoutMs?: number;
  /** Followers reading from Redis at once in this process (each holds a connection), in all and per user. */
  maxReaders?: number;
  maxReadersPerUser?: number;
  /** Unanswered writes of one answer after which Redis counts as stalled. */
  maxInFlight?: number;
  log?: Log;
}

export const LIVE_TTL_MS = 60_000;
export const ENDED_TTL_MS = 5 * 60_000;

/** Unanswered writes of one answer before Redis counts as stalled (about 2.5 s of flushes). */
const MAX_IN_FLIGHT = 256;
export const MAX_READERS = 200;
export const MAX_READERS_PER_USER = 10;

const REMOTE_REASONS: ReadonlySet<AbortReason> = new Set(['stop', 'deleted']);

// Removes a half-written copy: the meta only if it still names this answer, and an `end` entry so that
// followers stop. KEYS: meta, stream. ARGV: messageId, ttl of the ended stream (ms).
const ABANDON = `
if redis.call('HGET', KEYS[1], 'messageId') == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('XADD', KEYS[2], '*', 'end', 'abandoned')
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return 1
`;

interface Keys {
  meta: string;
  stream: string;
  messageId: string;
}

export class RedisStreamRelay implements StreamRelay {
  readonly instanceId = crypto.randomUUID();
  private readonly prefix: string;
  readonly liveTtlMs: number;
  readonly endedTtlMs: number;
  readonly flushMs: number;
  private readonly blockMs: number;
  private readonly timeoutMs: number;
  readonly maxInFlight: number;
  private readonly maxReaders: number;
  private readonly maxReadersPerUser: number;
  private readonly log: Log;

  private client: RedisClient | undefined;
  private subscriber: RedisClient | undefined;
  private subscribed = false;
  private subscribing: RedisClient | undefined;
  private state: 'connecting' | 'up' | 'down' | 'closed' = 'connecting';
  private warned = false;
  private markUp!: () => void;
  private readonly firstUp = new Promise<void>((resolve) => (this.markUp = resolve));
  private readonly heartbeat: NodeJS.Timeout;
  private readonly connectDeadline: NodeJS.Timeout;
  /** Answers generated here, until their end is written. */
  readonly mirrors = new Set<RedisAnswerMirror>();
  /** Half-written copies to remove once Redis answers again. */
  private readonly abandoned: Keys[] = [];
  private readonly readers = new Set<RedisClient>();
  /** Reader slots taken (connecting or reading), in all and by user. */
  private readerSlots = 0;
  private readonly readerSlotsByUser = new Map<string, number>();
  private readonly abortHandlers: Array<(request: AbortRequest) => void> = [];

  constructor(private readonly options: RedisRelayOptions) {
    this.prefix = options.prefix ?? 'kimi-chat:';
    this.liveTtlMs = options.liveTtlMs ?? LIVE_TTL_MS;
    this.endedTtlMs = options.endedTtlMs ?? ENDED_TTL_MS;
    this.flushMs = options.flushMs ?? 10;
    this.blockMs = options.blockMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.maxReaders = options.maxReaders ?? MAX_READERS;
    this.maxReadersPerUser = options.maxReadersPerUser ?? MAX_READERS_PER_USER;
    this.log = options.log ?? console;
    this.heartbeat = setInterval(() => this.renew(), Math.max(1_000, Math.floor(this.liveTtlMs / 3)));
    this.heartbeat.unref();
    // node-redis has no handshake timeout: a server that accepts but never answers would leave the
    // pending mirrors queueing forever.
    this.connectDeadline = setTimeout(() => {
      if (this.state === 'connecting') this.onDown(new Error('no answer from Redis while connecting'));
    }, 2_000 + this.timeoutMs);
    this.connectDeadline.unref();
    void this.open();
  }

  keys(conversationId: string, messageId: string): Keys {
    return { meta: this.metaKey(conversationId), stream: `${this.prefix}answer:${conversationId}:${messageId}`, messageId };
  }

  private metaKey(conversationId: string): string {
    return `${this.prefix}answer:${conversationId}`;
  }

  private channel(instanceId: string): string {
    return `${this.prefix}instance:${instanceId}`;
  }

  /** Connected and listening for abort requests. */
  get isUp(): boolean {
    return this.state === 'up';
  }

  /** Followers reading from Redis (or connecting to) right now (for tests). */
  get readerCount(): number {
    return this.readerSlots;
  }

  // --- Connection

  private async open(): Promise<void> {
    // Loaded only when REDIS_URL is set.
    const { createClient } = await import('redis');
    if (this.state === 'closed') return;
    // No offline queue: while Redis is unreachable a command fails at once instead of piling up.
    const client = createClient({ url: this.options.url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 } });
    const subscriber = client.duplicate();
    this.client = client;
    this.subscriber = subscriber;
    this.subscribed = false;
    for (const c of [client, subscriber]) {
      // Events of a pair replaced by stalled() no longer count.
      c.on('error', (error: unknown) => this.client === client && this.onDown(error));
      c.on('ready', () => this.client === client && this.onReady());
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
    subscriber.subscribe(this.channel(this.instanceId), (message) => this.onControl(message)).then(
      () => {
        if (this.subscribing === subscriber) this.subscribing = undefined;
        if (this.subscriber !== subscriber) return;
        this.subscribed = true;
        this.onReady();
      },
      (error: unknown) => {
        if (this.subscribing === subscriber) this.subscribing = undefined;
        if (this.subscriber === subscriber) this.onDown(error);
      },
    );
  }

  /** Redis takes commands but stopped answering: down, and connect afresh (the stalled connections are dropped). */
  stalled(error: unknown): void {
    if (this.state === 'closed') return;
    const stale = [this.client, this.subscriber];
    this.client = this.subscriber = undefined;
    this.subscribed = false;
    this.onDown(error);
    for (const c of stale) if (c?.isOpen) c.destroy();
    void this.open();
  }

  private onReady(): void {
    if (this.state === 'closed' || this.state === 'up') return;
    if (!this.client?.isReady || !this.subscriber?.isReady || !this.subscribed) return;
    this.state = 'up';
    this.markUp();
    if (this.warned) {
      this.warned = false;
      this.log.info('[resume] Redis is reachable again: new answers can be resumed from any instance');
    }
    for (const keys of this.abandoned.splice(0)) void this.abandon(keys);
    for (const mirror of this.mirrors) mirror.connected();
  }

  private onDown(error: unknown): void {
    if (this.state === 'closed') return;
    this.state = 'down';
    for (const mirror of [...this.mirrors]) mirror.fail();
    this.warnOnce(error);
    // An error that left both connections up (e.g. an unparsable reply) brings no 'ready' after it: check again.
    if (this.client?.isReady && this.subscriber?.isReady && this.subscribed) setImmediate(() => this.onReady());
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    this.log.warn(`[resume] Redis unavailable (${reason}): answers can be resumed only on the instance generating them until it is back`);
  }

  /** A command of a mirror failed (connection lost, or Redis refused it). */
  commandFailed(mirror: RedisAnswerMirror, error: unknown): void {
    if (this.state === 'closed') return;
    mirror.fail();
    this.warnOnce(error);
  }

  /** Called by a mirror that gave up after writing something: its copy must not look resumable. */
  forget(keys: Keys): void {
    if (this.state === 'up' && this.client?.isReady) void this.abandon(keys);
    else this.abandoned.push(keys);
  }

  private abandon(keys: Keys, client = this.client): Promise<unknown> {
    if (!client) return Promise.resolve();
    return client.eval(ABANDON, { keys: [keys.meta, keys.stream], arguments: [keys.messageId, String(this.liveTtlMs)] }).catch(() => undefined);
  }

  /** The client for writes, when connected. */
  writer(): RedisClient | undefined {
    return this.state === 'up' && this.client?.isReady ? this.client : undefined;
  }

  private renew(): void {
    for (const mirror of this.mirrors) mirror.renew();
  }

  /** Up, or waits (at most `waitMs`) for the first connection. */
  async whenUp(waitMs = this.timeoutMs): Promise<boolean> {
    if (this.state === 'connecting') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.firstUp, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return this.writer() !== undefined;
  }

  private async bounded<T>(promise: Promise<T>, ms = this.timeoutMs): Promise<T> {
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

  // --- StreamRelay

  mirror(conversationId: string, messageId: string, userId: string): AnswerMirror | undefined {
    if (this.state === 'closed' || this.state === 'down') return undefined;
    const mirror = new RedisAnswerMirror(this, conversationId, messageId, userId);
    this.mirrors.add(mirror);
    if (this.state === 'up') mirror.connected();
    return mirror;
  }

  async lookup(conversationId: string): Promise<LiveAnswer | undefined> {
    if (!(await this.whenUp())) return undefined;
    const client = this.writer();
    if (!client) return undefined;
    try {
      const meta = await this.bounded(client.hGetAll(this.metaKey(conversationId)));
      if (!meta.messageId || !meta.userId || !meta.owner) return undefined;
      return { conversationId, messageId: meta.messageId, userId: meta.userId, owner: meta.owner, ended: meta.ended === meta.messageId };
    } catch {
      return undefined;
    }
  }

  async follow(conversationId: string, userId: string, isCurrent: (messageId: string) => Promise<boolean>): Promise<ReadableStream<string> | undefined> {
    const live = await this.lookup(conversationId);
    if (!live || live.userId !== userId) return undefined;
    if (!(await isCurrent(live.messageId))) return undefined;
    const client = this.writer();
    if (!client) return undefined;
    // Each follower holds a connection: capped, beyond it the resume gets 204 (the page shows what was saved).
    const taken = this.readerSlotsByUser.get(userId) ?? 0;
    if (this.readerSlots >= this.maxReaders || taken >= this.maxReadersPerUser) return undefined;
    this.readerSlots++;
    this.readerSlotsByUser.set(userId, taken + 1);
    const keys = this.keys(conversationId, live.messageId);
    // A blocking read holds its connection: one per follower, not reconnected (a follower whose
    // connection drops just ends; the browser then shows what was saved).
    const reader = client.duplicate({ socket: { connectTimeout: 2_000, reconnectStrategy: false } });
    reader.on('error', () => undefined);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.readers.delete(reader);
      if (reader.isOpen) reader.destroy();
      this.readerSlots--;
      const left = (this.readerSlotsByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.readerSlotsByUser.set(userId, left);
      else this.readerSlotsByUser.delete(userId);
    };
    try {
      await this.bounded(reader.connect());
    } catch {
      finish();
      return undefined;
    }
    if (this.state === 'closed') {
      finish();
      return undefined;
    }
    this.readers.add(reader);
    let lastId = '0-0';
    return new ReadableStream<string>({
      pull: async (controller) => {
        try {
          for (;;) {
            // Bounded: a Redis that stopped answering must not hold the follower (and its connection) for long.
            const read = reader.sendCommand(['XREAD', 'COUNT', '512', 'BLOCK', String(this.blockMs), 'STREAMS', keys.stream, lastId]);
            const reply = (await this.bounded<unknown>(read, this.blockMs + this.timeoutMs)) as RawXRead;
            if (finished) return;
            if (!reply) {
              // Nothing new for a while: go on only while the answer still exists (a crashed writer's keys expire).
              const left = await this.bounded(reader.exists([keys.meta, keys.stream]));
              if (left === 0) throw new Error('gone');
              continue;
            }
            let delivered = false;
            for (const [id, fields] of reply[0]?.[1] ?? []) {
              lastId = id;
              for (let i = 0; i + 1 < fields.length; i += 2) {
                if (fields[i] === 'd') {
                  controller.enqueue(fields[i + 1]!);
                  delivered = true;
                } else if (fields[i] === 'end') {
                  finish();
                  controller.close();
                  return;
                }
              }
            }
            if (delivered) return;
          }
        } catch {
          if (finished) return;
          finish();
          controller.close();
        }
      },
      cancel: finish,
    });
  }

  async requestAbort(conversationId: string, userId: string, reason: AbortReason): Promise<boolean> {
    const live = await this.lookup(conversationId);
    if (!live || live.ended || live.userId !== userId) return false;
    const request: AbortRequest = { conversationId, messageId: live.messageId, userId, reason };
    try {
      return (await this.bounded(this.client!.publish(this.channel(live.owner), JSON.stringify(request)))) > 0;
    } catch {
      return false;
    }
  }

  onAbort(handler: (request: AbortRequest) => void): void {
    this.abortHandlers.push(handler);
  }

  private onControl(message: string): void {
    let request: Partial<AbortRequest>;
    try {
      request = JSON.parse(message) as Partial<AbortRequest>;
    } catch {
      return;
    }
    const { conversationId, messageId, userId, reason } = request;
    if (typeof conversationId !== 'string' || typeof messageId !== 'string' || typeof userId !== 'string') return;
    if (!reason || !REMOTE_REASONS.has(reason)) return;
    for (const handler of this.abortHandlers) handler({ conversationId, messageId, userId, reason });
  }

  /** Ends followers, removes the copies of answers still running here, and closes the connections. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const writer = this.writer();
    this.state = 'closed';
    clearInterval(this.heartbeat);
    clearTimeout(this.connectDeadline);
    for (const reader of this.readers) if (reader.isOpen) reader.destroy();
    this.readers.clear();
    // Answers still running here will not finish: their copies go (into `abandoned`, as the state is closed).
    for (const mirror of [...this.mirrors]) mirror.fail();
    const abandoned = this.abandoned.splice(0);
    if (writer && abandoned.length > 0) {
      await this.bounded(Promise.all(abandoned.map((keys) => this.abandon(keys, writer)))).catch(() => undefined);
    }
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

/** RESP2 XREAD reply: [[stream, [[id, [field, value, …]], …]]] or null. */
type RawXRead = Array<[string, Array<[string, string[]]>]> | null;

/** One answer's copy in Redis. Everything here is synchronous for the caller; writes go out on a timer. */
class RedisAnswerMirror implements AnswerMirror {
  private phase: 'pending' | 'live' | 'broken' | 'done' = 'pending';
  private queue: string[] = [];
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private streamWritten = false;
  private inFlight = 0;
  began = false;
  readonly keyNames: Keys;

  constructor(
    private readonly relay: RedisStreamRelay,
    readonly conversationId: string,
    readonly messageId: string,
    readonly userId: string,
  ) {
    this.keyNames = relay.keys(conversationId, messageId);
  }

  push(chunk: string): void {
    if (this.phase === 'broken' || this.phase === 'done') return;
    this.queue.push(chunk);
    this.schedule();
  }

  end(): void {
    if (this.phase === 'broken' || this.phase === 'done') return;
    this.ended = true;
    this.schedule();
  }

  /** Redis is up: start writing (the chunks queued meanwhile go first). */
  connected(): void {
    if (this.phase !== 'pending') return;
    this.phase = 'live';
    this.schedule();
  }

  /** Gives up mirroring this answer (resume stays in-process); removes what was written once possible. */
  fail(): void {
    if (this.phase === 'broken') return;
    const wasWriting = this.began;
    this.phase = 'broken';
    this.queue = [];
    clearTimeout(this.timer);
    this.timer = undefined;
    this.relay.mirrors.delete(this);
    if (wasWriting) this.relay.forget(this.keyNames);
  }

  renew(): void {
    const client = this.phase === 'live' && this.began ? this.relay.writer() : undefined;
    if (!client) return;
    const failed = (error: unknown) => this.relay.commandFailed(this, error);
    client.pExpire(this.keyNames.meta, this.relay.liveTtlMs).catch(failed);
    if (this.streamWritten) client.pExpire(this.keyNames.stream, this.relay.liveTtlMs).catch(failed);
  }

  private schedule(): void {
    if (this.phase !== 'live' || this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.ended ? 0 : this.relay.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.phase !== 'live') return;
    const client = this.relay.writer();
    if (!client) {
      this.relay.commandFailed(this, new Error('not connected'));
      return;
    }
    // A Redis that accepts commands but does not answer them: the whole relay goes down before the
    // replies owed pile up (every other answer's writes are stuck too), and reconnects.
    if (this.inFlight > this.relay.maxInFlight) {
      this.relay.stalled(new Error(`no reply to ${this.inFlight} commands`));
      return;
    }
    const { meta, stream } = this.keyNames;
    const send = (command: Promise<unknown>) => {
      this.inFlight++;
      command.then(
        () => this.inFlight--,
        (error: unknown) => {
          this.inFlight--;
          this.relay.commandFailed(this, error);
        },
      );
    };
    // Issued in one tick, in order: node-redis writes them to the socket together.
    if (!this.began) {
      this.began = true;
      send(client.hSet(meta, { messageId: this.messageId, userId: this.userId, owner: this.relay.instanceId, startedAt: String(Date.now()) }));
      send(client.pExpire(meta, this.relay.liveTtlMs));
    }
    if (this.queue.length > 0) {
      const data = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
      this.queue = [];
      send(client.xAdd(stream, '*', { d: data }));
      if (!this.streamWritten) {
        this.streamWritten = true;
        send(client.pExpire(stream, this.relay.liveTtlMs));
      }
    }
    if (this.ended) {
      this.phase = 'done';
      this.relay.mirrors.delete(this);
      send(client.xAdd(stream, '*', { end: 'done' }));
      send(client.hSet(meta, 'ended', this.messageId));
      send(client.pExpire(meta, this.relay.endedTtlMs));
      send(client.pExpire(stream, this.relay.endedTtlMs));
    }
  }
}

const RELAY = Symbol.for('kimi-chat.stream-relay');
const holder = globalThis as unknown as Record<symbol, RedisStreamRelay | undefined>;

/** The process's relay (one per process, shared by every copy of this module). */
export function processRelay(url: string): RedisStreamRelay {
  return (holder[RELAY] ??= new RedisStreamRelay({ url }));
}

/** Closes the process's relay, if one was opened (on shutdown). */
export async function closeStreamRelay(): Promise<void> {
  const relay = holder[RELAY];
  holder[RELAY] = undefined;
  await relay?.close();
}
