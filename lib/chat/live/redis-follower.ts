// Reading answers other instances generate: the conversation's latest answer from its meta, and its SSE
// bytes from the first one, then live to the end, from its Redis stream.
//
// A follower holds a connection of its own (a blocking XREAD), so followers are capped in all and per
// user (beyond the cap the resume gets 204 and the page shows what was saved), every read is bounded (a
// Redis that stopped answering must not hold a follower), and a follower whose connection drops just ends.
import type { RedisConnection } from './redis-connection';
import type { RedisClient, RedisKeys } from './redis-keys';
import type { LiveAnswer } from './types';

export interface FollowerSettings {
  /** A follower waits this long for new entries before checking the answer still exists. */
  blockMs: number;
  timeoutMs: number;
  maxReaders: number;
  maxReadersPerUser: number;
}

/** RESP2 XREAD reply: [[stream, [[id, [field, value, …]], …]]] or null. */
type RawXRead = Array<[string, Array<[string, string[]]>]> | null;

export class RedisFollowers {
  private readonly readers = new Set<RedisClient>();
  /** Reader slots taken (connecting or reading), in all and by user. */
  private slots = 0;
  private readonly slotsByUser = new Map<string, number>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly settings: FollowerSettings,
  ) {}

  /** Followers reading from Redis (or connecting to) right now. */
  get count(): number {
    return this.slots;
  }

  /** The conversation's latest answer in Redis; undefined when none or Redis is unavailable. */
  async lookup(conversationId: string): Promise<LiveAnswer | undefined> {
    if (!(await this.connection.whenUp())) return undefined;
    const client = this.connection.writer();
    if (!client) return undefined;
    try {
      const meta = await this.connection.bounded(client.hGetAll(this.keys.meta(conversationId)));
      if (!meta.messageId || !meta.userId || !meta.owner) return undefined;
      return { conversationId, messageId: meta.messageId, userId: meta.userId, owner: meta.owner, ended: meta.ended === meta.messageId };
    } catch {
      return undefined;
    }
  }

  async follow(
    conversationId: string,
    userId: string,
    isCurrent: (messageId: string) => Promise<boolean>,
  ): Promise<ReadableStream<string> | undefined> {
    const live = await this.lookup(conversationId);
    if (!live || live.userId !== userId) return undefined;
    if (!(await isCurrent(live.messageId))) return undefined;
    const client = this.connection.writer();
    if (!client) return undefined;
    const { maxReaders, maxReadersPerUser, blockMs, timeoutMs } = this.settings;
    const taken = this.slotsByUser.get(userId) ?? 0;
    if (this.slots >= maxReaders || taken >= maxReadersPerUser) return undefined;
    this.slots++;
    this.slotsByUser.set(userId, taken + 1);
    const keys = this.keys.answer(conversationId, live.messageId);
    // One connection per follower, not reconnected.
    const reader = client.duplicate({ socket: { connectTimeout: 2_000, reconnectStrategy: false } });
    reader.on('error', () => undefined);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.readers.delete(reader);
      if (reader.isOpen) reader.destroy();
      this.slots--;
      const left = (this.slotsByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.slotsByUser.set(userId, left);
      else this.slotsByUser.delete(userId);
    };
    try {
      await this.connection.bounded(reader.connect());
    } catch {
      finish();
      return undefined;
    }
    if (this.connection.state === 'closed') {
      finish();
      return undefined;
    }
    this.readers.add(reader);
    let lastId = '0-0';
    return new ReadableStream<string>({
      pull: async (controller) => {
        try {
          for (;;) {
            const read = reader.sendCommand(['XREAD', 'COUNT', '512', 'BLOCK', String(blockMs), 'STREAMS', keys.stream, lastId]);
            const reply = (await this.connection.bounded<unknown>(read, blockMs + timeoutMs)) as RawXRead;
            if (finished) return;
            if (!reply) {
              // Nothing new for a while: go on only while the answer still exists (a crashed writer's keys expire).
              const left = await this.connection.bounded(reader.exists([keys.meta, keys.stream]));
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

  /** On close: every follower ends. */
  close(): void {
    for (const reader of this.readers) if (reader.isOpen) reader.destroy();
    this.readers.clear();
  }
}
