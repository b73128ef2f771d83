// The Redis copy of each answer generated here: its SSE bytes appended to a Redis stream, its meta
// naming this instance as the owner, kept alive by a heartbeat while it runs.
//
// The chat's hot path never waits for Redis: chunks are queued synchronously and written every few
// milliseconds as one XADD (node-redis pipelines the commands of a flush into one socket write). While an
// answer runs its keys live for liveTtlMs, renewed every third of it (a crashed writer's keys go away by
// themselves); when it ends they are kept for endedTtlMs so a late reload still replays it. When Redis
// fails, the copies stop and what they wrote is removed once Redis answers again: a half-written copy
// must not be served as if it were whole.
import type { RedisConnection } from './redis-connection';
import type { AnswerKeys, RedisClient, RedisKeys } from './redis-keys';
import type { AnswerMirror } from './types';

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

export interface MirrorSettings {
  instanceId: string;
  liveTtlMs: number;
  endedTtlMs: number;
  /** Chunks arriving within this window go to Redis as one entry. */
  flushMs: number;
  /** Unanswered writes of one answer after which Redis counts as stalled. */
  maxInFlight: number;
}

/** The copies of the answers generated here, until their end is written. */
export class RedisMirrors {
  readonly live = new Set<RedisAnswerMirror>();
  /** Half-written copies to remove once Redis answers again. */
  private readonly abandoned: AnswerKeys[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly connection: RedisConnection,
    readonly keys: RedisKeys,
    readonly settings: MirrorSettings,
  ) {
    this.heartbeat = setInterval(
      () => {
        for (const mirror of this.live) mirror.renew();
      },
      Math.max(1_000, Math.floor(settings.liveTtlMs / 3)),
    );
    this.heartbeat.unref();
  }

  /** A new copy; undefined while Redis is down (the answer is then resumable only here). */
  start(conversationId: string, messageId: string, userId: string): RedisAnswerMirror | undefined {
    const state = this.connection.state;
    if (state === 'closed' || state === 'down') return undefined;
    const mirror = new RedisAnswerMirror(this, conversationId, messageId, userId);
    this.live.add(mirror);
    if (state === 'up') mirror.connected();
    return mirror;
  }

  /** Redis is up: removes the copies abandoned meanwhile, and the pending copies start writing. */
  connected(): void {
    const client = this.connection.writer();
    for (const keys of this.abandoned.splice(0)) void this.abandon(keys, client);
    for (const mirror of this.live) mirror.connected();
  }

  /** Redis is down: every running copy gives up. */
  failAll(): void {
    for (const mirror of [...this.live]) mirror.fail();
  }

  /** A command of a mirror failed (connection lost, or Redis refused it). */
  commandFailed(mirror: RedisAnswerMirror, error: unknown): void {
    if (this.connection.state === 'closed') return;
    mirror.fail();
    this.connection.warnOnce(error);
  }

  /** Called by a mirror that gave up after writing something: its copy must not look resumable. */
  forget(keys: AnswerKeys): void {
    const client = this.connection.writer();
    if (client) void this.abandon(keys, client);
    else this.abandoned.push(keys);
  }

  private abandon(keys: AnswerKeys, client: RedisClient | undefined): Promise<unknown> {
    if (!client) return Promise.resolve();
    return client
      .eval(ABANDON, { keys: [keys.meta, keys.stream], arguments: [keys.messageId, String(this.settings.liveTtlMs)] })
      .catch(() => undefined);
  }

  /** On close: answers still running here will not finish, so their copies go (with `writer`, the client from before closing). */
  async close(writer: RedisClient | undefined): Promise<void> {
    clearInterval(this.heartbeat);
    // The connection is closed already: failing copies land in `abandoned`.
    this.failAll();
    const abandoned = this.abandoned.splice(0);
    if (writer && abandoned.length > 0) {
      await this.connection.bounded(Promise.all(abandoned.map((keys) => this.abandon(keys, writer)))).catch(() => undefined);
    }
  }
}

/** One answer's copy in Redis. Everything here is synchronous for the caller; writes go out on a timer. */
export class RedisAnswerMirror implements AnswerMirror {
  private phase: 'pending' | 'live' | 'broken' | 'done' = 'pending';
  private queue: string[] = [];
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private streamWritten = false;
  private inFlight = 0;
  private began = false;
  readonly keyNames: AnswerKeys;

  constructor(
    private readonly mirrors: RedisMirrors,
    readonly conversationId: string,
    readonly messageId: string,
    readonly userId: string,
  ) {
    this.keyNames = mirrors.keys.answer(conversationId, messageId);
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
    this.mirrors.live.delete(this);
    if (wasWriting) this.mirrors.forget(this.keyNames);
  }

  renew(): void {
    const client = this.phase === 'live' && this.began ? this.mirrors.connection.writer() : undefined;
    if (!client) return;
    const { liveTtlMs } = this.mirrors.settings;
    const failed = (error: unknown) => this.mirrors.commandFailed(this, error);
    client.pExpire(this.keyNames.meta, liveTtlMs).catch(failed);
    if (this.streamWritten) client.pExpire(this.keyNames.stream, liveTtlMs).catch(failed);
  }

  private schedule(): void {
    if (this.phase !== 'live' || this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.ended ? 0 : this.mirrors.settings.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.phase !== 'live') return;
    const { connection, settings } = this.mirrors;
    const client = connection.writer();
    if (!client) {
      this.mirrors.commandFailed(this, new Error('not connected'));
      return;
    }
    // A Redis that accepts commands but does not answer them: the whole relay goes down before the
    // replies owed pile up (every other answer's writes are stuck too), and reconnects.
    if (this.inFlight > settings.maxInFlight) {
      connection.stalled(new Error(`no reply to ${this.inFlight} commands`));
      return;
    }
    const { meta, stream } = this.keyNames;
    const send = (command: Promise<unknown>) => {
      this.inFlight++;
      command.then(
        () => this.inFlight--,
        (error: unknown) => {
          this.inFlight--;
          this.mirrors.commandFailed(this, error);
        },
      );
    };
    // Issued in one tick, in order: node-redis writes them to the socket together.
    if (!this.began) {
      this.began = true;
      send(client.hSet(meta, { messageId: this.messageId, userId: this.userId, owner: settings.instanceId, startedAt: String(Date.now()) }));
      send(client.pExpire(meta, settings.liveTtlMs));
    }
    if (this.queue.length > 0) {
      const data = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
      this.queue = [];
      send(client.xAdd(stream, '*', { d: data }));
      if (!this.streamWritten) {
        this.streamWritten = true;
        send(client.pExpire(stream, settings.liveTtlMs));
      }
    }
    if (this.ended) {
      this.phase = 'done';
      this.mirrors.live.delete(this);
      send(client.xAdd(stream, '*', { end: 'done' }));
      send(client.hSet(meta, 'ended', this.messageId));
      send(client.pExpire(meta, settings.endedTtlMs));
      send(client.pExpire(stream, settings.endedTtlMs));
    }
  }
}
