// The Redis relay (REDIS_URL): assembles the connection, the mirror, the follower and the abort channel
// into one StreamRelay, and keeps the process's single instance.
//
// Redis unavailable (at start or mid-answer, or taking commands without answering): the affected answers
// stop being mirrored, one warning is logged, and resume falls back to the instance generating the
// answer; the chat itself is untouched. When Redis is back, the half-written copies are removed
// (followers elsewhere end, later resumes get 204) and new answers are mirrored again.
import { RedisAbortChannel } from './redis-abort-channel';
import { RedisConnection } from './redis-connection';
import { RedisFollowers } from './redis-follower';
import { type AnswerKeys, type Log, RedisKeys } from './redis-keys';
import { type RedisAnswerMirror, RedisMirrors } from './redis-mirror';
import type { AbortReason, AbortRequest, AnswerMirror, LiveAnswer, StreamRelay } from './types';

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

export class RedisStreamRelay implements StreamRelay {
  readonly instanceId = crypto.randomUUID();
  readonly liveTtlMs: number;
  readonly endedTtlMs: number;
  private readonly names: RedisKeys;
  private readonly connection: RedisConnection;
  private readonly mirrorSet: RedisMirrors;
  private readonly followers: RedisFollowers;
  private readonly aborts: RedisAbortChannel;

  constructor(options: RedisRelayOptions) {
    this.liveTtlMs = options.liveTtlMs ?? LIVE_TTL_MS;
    this.endedTtlMs = options.endedTtlMs ?? ENDED_TTL_MS;
    const timeoutMs = options.timeoutMs ?? 1_000;
    this.names = new RedisKeys(options.prefix);
    this.connection = new RedisConnection({
      url: options.url,
      timeoutMs,
      log: options.log ?? console,
      channel: this.names.instanceChannel(this.instanceId),
      onMessage: (message) => this.aborts.receive(message),
      onUp: () => this.mirrorSet.connected(),
      onDown: () => this.mirrorSet.failAll(),
    });
    this.mirrorSet = new RedisMirrors(this.connection, this.names, {
      instanceId: this.instanceId,
      liveTtlMs: this.liveTtlMs,
      endedTtlMs: this.endedTtlMs,
      flushMs: options.flushMs ?? 10,
      maxInFlight: options.maxInFlight ?? MAX_IN_FLIGHT,
    });
    this.followers = new RedisFollowers(this.connection, this.names, {
      blockMs: options.blockMs ?? 5_000,
      timeoutMs,
      maxReaders: options.maxReaders ?? MAX_READERS,
      maxReadersPerUser: options.maxReadersPerUser ?? MAX_READERS_PER_USER,
    });
    this.aborts = new RedisAbortChannel(this.connection, this.names, (conversationId) => this.lookup(conversationId));
    // Last: the connection's events reach the parts above.
    this.connection.start();
  }

  keys(conversationId: string, messageId: string): AnswerKeys {
    return this.names.answer(conversationId, messageId);
  }

  /** Connected and listening for abort requests. */
  get isUp(): boolean {
    return this.connection.state === 'up';
  }

  /** Answers generated here whose copy is still being written (for tests). */
  get mirrors(): ReadonlySet<RedisAnswerMirror> {
    return this.mirrorSet.live;
  }

  /** Followers reading from Redis (or connecting to) right now (for tests). */
  get readerCount(): number {
    return this.followers.count;
  }

  /** The command client (tests inject errors into it). */
  get client() {
    return this.connection.client;
  }

  /** Up, or waits (at most `waitMs`) for the first connection. */
  whenUp(waitMs?: number): Promise<boolean> {
    return this.connection.whenUp(waitMs);
  }

  mirror(conversationId: string, messageId: string, userId: string): AnswerMirror | undefined {
    return this.mirrorSet.start(conversationId, messageId, userId);
  }

  lookup(conversationId: string): Promise<LiveAnswer | undefined> {
    return this.followers.lookup(conversationId);
  }

  follow(conversationId: string, userId: string, isCurrent: (messageId: string) => Promise<boolean>): Promise<ReadableStream<string> | undefined> {
    return this.followers.follow(conversationId, userId, isCurrent);
  }

  requestAbort(conversationId: string, userId: string, reason: AbortReason): Promise<boolean> {
    return this.aborts.request(conversationId, userId, reason);
  }

  onAbort(handler: (request: AbortRequest) => void): void {
    this.aborts.onAbort(handler);
  }

  /** Ends followers, removes the copies of answers still running here, and closes the connections. */
  async close(): Promise<void> {
    if (this.connection.state === 'closed') return;
    const writer = this.connection.shut();
    this.followers.close();
    await this.mirrorSet.close(writer);
    await this.connection.disconnect();
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
