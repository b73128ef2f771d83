// Simulated context caching: a request whose leading whole messages match a prefix seen recently
// (same cache key) gets cached_tokens = countMessageTokens(that prefix). The longest such prefix wins,
// so the result is deterministic. Memory is bounded: an LRU of prefix digests with a TTL.
import { createHash } from 'node:crypto';
import { type CountableMessage, contentText, countMessageTokens } from '../lib/kimi/tokenizer';

export class PrefixCache {
  /** digest → expiry time; Map order is recency order (oldest first). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** Returns the cached token count for `messages`, then remembers all their prefixes. */
  lookupAndRemember(key: string, messages: readonly CountableMessage[], now = Date.now()): number {
    const hash = createHash('sha1').update(key);
    const digests: string[] = [];
    let longest = 0;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as CountableMessage;
      hash.update(`\u0000${message.role}\u0000${contentText(message.content)}`);
      const digest = hash.copy().digest('base64');
      digests.push(digest);
      const expires = this.seen.get(digest);
      if (expires !== undefined && expires > now) longest = i + 1;
    }
    for (const digest of digests) {
      this.seen.delete(digest);
      this.seen.set(digest, now + this.ttlMs);
    }
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
    return longest === 0 ? 0 : countMessageTokens(messages.slice(0, longest));
  }
}
