// The Redis store against a real server (127.0.0.1:6379, or REDIS_TEST_URL): same window behaviour as the
// memory store, and shared between two limiters as two app instances would be.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/ratelimit/limiter';
import { RedisStore } from '@/lib/ratelimit/redis-store';

const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kimi-chat-test:${crypto.randomUUID()}:`;
const rule = { limit: 3, windowMs: 60_000 };

describe('Redis rate-limit store', () => {
  const client = createClient({ url });

  beforeAll(async () => {
    await client.connect();
  });

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.quit();
  });

  it('allows `limit` per window and names the wait', async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(new RedisStore(client, prefix), () => now);
    expect(await limiter.check(rule, 'a')).toBeNull();
    now += 10_000;
    expect(await limiter.check(rule, 'a')).toBeNull();
    expect(await limiter.check(rule, 'a')).toBeNull();
    expect(await limiter.check(rule, 'a')).toBe(50);
    now += 50_000;
    expect(await limiter.check(rule, 'a')).toBeNull();
    expect(await limiter.check(rule, 'a')).toBe(10);
    expect(await client.pTTL(`${prefix}a`)).toBeGreaterThan(0); // keys expire on their own
  });

  it('shares counts between instances, and concurrent hits never pass the limit', async () => {
    const now = () => 5_000_000;
    const one = createRateLimiter(new RedisStore(client, prefix), now);
    const two = createRateLimiter(new RedisStore(client, prefix), now);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).check(rule, 'shared')));
    expect(results.filter((r) => r === null)).toHaveLength(3);
  });
});
