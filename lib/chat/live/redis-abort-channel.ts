// Stop across instances: an abort for an answer generated elsewhere is published on the owning
// instance's channel (named in the answer's meta); requests arriving on this instance's channel are
// checked and handed to the registry, which aborts only the answer named and only for its owner.
import type { RedisConnection } from './redis-connection';
import type { RedisKeys } from './redis-keys';
import type { AbortReason, AbortRequest, LiveAnswer } from './types';

// Only what a user can ask from another instance; shutdown and timeouts are each instance's own business.
const REMOTE_REASONS: ReadonlySet<AbortReason> = new Set(['stop', 'deleted']);

export class RedisAbortChannel {
  private readonly handlers: Array<(request: AbortRequest) => void> = [];

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly lookup: (conversationId: string) => Promise<LiveAnswer | undefined>,
  ) {}

  /** Asks the instance generating the user's running answer to abort it; true when that instance heard it. */
  async request(conversationId: string, userId: string, reason: AbortReason): Promise<boolean> {
    const live = await this.lookup(conversationId);
    if (!live || live.ended || live.userId !== userId) return false;
    const request: AbortRequest = { conversationId, messageId: live.messageId, userId, reason };
    try {
      return (await this.connection.bounded(this.connection.client!.publish(this.keys.instanceChannel(live.owner), JSON.stringify(request)))) > 0;
    } catch {
      return false;
    }
  }

  onAbort(handler: (request: AbortRequest) => void): void {
    this.handlers.push(handler);
  }

  /** A message on this instance's channel: anything malformed is dropped. */
  receive(message: string): void {
    let request: Partial<AbortRequest>;
    try {
      request = JSON.parse(message) as Partial<AbortRequest>;
    } catch {
      return;
    }
    const { conversationId, messageId, userId, reason } = request;
    if (typeof conversationId !== 'string' || typeof messageId !== 'string' || typeof userId !== 'string') return;
    if (!reason || !REMOTE_REASONS.has(reason)) return;
    for (const handler of this.handlers) handler({ conversationId, messageId, userId, reason });
  }
}
