// A sliding-window log: a request is allowed when fewer than `limit` allowed requests happened in the last
// `windowMs`. Refused requests are not recorded, so hammering does not extend a lockout forever.

export interface RateRule {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the oldest counted request leaves the window. */
  retryAfterMs: number;
}

export interface RateLimitStore {
  /** Counts one request for `key` at `now` if the rule allows it. Must be atomic per key. */
  hit(key: string, rule: RateRule, now: number): Promise<RateDecision>;
}
