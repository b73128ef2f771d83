// Shared counts for several instances: one sorted set per key (score = time), updated atomically by a
// Lua script so concurrent instances cannot both take the last slot.
import type { createClient } from 'redis';
import type { RateDecision, RateLimitStore, RateRule } from './types';

type RedisClient = ReturnType<typeof createClient>;

// KEYS[1] = set; ARGV = now, windowMs, limit, unique member. Returns { allowed 0|1, retryAfterMs }.
const SLIDING_WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local edge = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return { 0, tonumber(edge[2]) + window - now }
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return { 1, 0 }
`;

export class RedisStore implements RateLimitStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix = 'kimi-chat:rl:',
  ) {}

  async hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    const reply = (await this.client.eval(SLIDING_WINDOW, {
      keys: [this.prefix + key],
      arguments: [String(now), String(rule.windowMs), String(rule.limit), `${now}:${crypto.randomUUID()}`],
    })) as [number, number];
    return { allowed: reply[0] === 1, retryAfterMs: Math.max(0, Number(reply[1])) };
  }
}
