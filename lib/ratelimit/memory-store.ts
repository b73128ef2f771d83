// The default store: this process's memory. Enough for one instance; REDIS_URL shares counts across several.
import type { RateDecision, RateLimitStore, RateRule } from './types';

interface Entry {
  /** Allowed hits, oldest first. */
  hits: number[];
  windowMs: number;
}

/** Above this many keys, a hit first drops the keys whose window has passed (bounded memory under a flood). */
const SWEEP_AT = 10_000;

export class MemoryStore implements RateLimitStore {
  private readonly entries = new Map<string, Entry>();

  async hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    if (this.entries.size >= SWEEP_AT) this.sweep(now);
    const entry = this.entries.get(key) ?? { hits: [], windowMs: rule.windowMs };
    entry.windowMs = rule.windowMs;
    const since = now - rule.windowMs;
    while (entry.hits.length > 0 && entry.hits[0]! <= since) entry.hits.shift();
    if (entry.hits.length >= rule.limit) {
      this.entries.set(key, entry);
      return { allowed: false, retryAfterMs: entry.hits[entry.hits.length - rule.limit]! + rule.windowMs - now };
    }
    entry.hits.push(now);
    this.entries.set(key, entry);
    return { allowed: true, retryAfterMs: 0 };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      const newest = entry.hits[entry.hits.length - 1];
      if (newest === undefined || newest <= now - entry.windowMs) this.entries.delete(key);
    }
  }
}
