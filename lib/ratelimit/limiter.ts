// Named rules over a store, with an injectable clock for tests. A broken store lets requests through (and
// says so in the log): an outage of Redis should not lock every user out of sign-in and chat.
import type { RateLimitStore, RateRule } from './types';

export interface RateLimiter {
  /** null = allowed (and counted); otherwise the whole seconds to wait. A rule with limit 0 is off. */
  check(rule: RateRule, key: string): Promise<number | null>;
}

export function createRateLimiter(store: RateLimitStore, now: () => number = Date.now): RateLimiter {
  return {
    async check(rule, key) {
      if (rule.limit <= 0) return null;
      try {
        const decision = await store.hit(key, rule, now());
        return decision.allowed ? null : Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      } catch (error) {
        console.error('[ratelimit] store failed; allowing the request', error);
        return null;
      }
    },
  };
}
