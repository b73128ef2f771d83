import { describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '@/lib/ratelimit/limiter';
import { MemoryStore } from '@/lib/ratelimit/memory-store';
import type { RateLimitStore } from '@/lib/ratelimit/types';

const rule = { limit: 3, windowMs: 60_000 };

describe('sliding-window limiter (memory store)', () => {
  it('allows `limit` requests per window, then names the wait until the oldest leaves it', async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(new MemoryStore(), () => now);
    expect(await limiter.check(rule, 'k')).toBeNull();
    now += 10_000;
    expect(await limiter.check(rule, 'k')).toBeNull();
    expect(await limiter.check(rule, 'k')).toBeNull();
    expect(await limiter.check(rule, 'k')).toBe(50); // the first hit leaves at +60 s
    expect(await limiter.check(rule, 'other')).toBeNull(); // keys are separate
    now += 50_000; // the first hit has left: one slot
    expect(await limiter.check(rule, 'k')).toBeNull();
    expect(await limiter.check(rule, 'k')).toBe(10);
  });

  it('does not count refused requests, so hammering does not extend the lockout', async () => {
    let now = 0;
    const limiter = createRateLimiter(new MemoryStore(), () => now);
    for (let i = 0; i < 3; i++) await limiter.check(rule, 'k');
    for (let i = 0; i < 20; i++) {
      now += 1_000;
      expect(await limiter.check(rule, 'k')).not.toBeNull();
    }
    now = 60_001;
    expect(await limiter.check(rule, 'k')).toBeNull();
  });

  it('treats limit 0 as off, and lets requests through when the store fails', async () => {
    const broken: RateLimitStore = { hit: () => Promise.reject(new Error('down')) };
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await createRateLimiter(broken).check(rule, 'k')).toBeNull();
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
    const limiter = createRateLimiter(new MemoryStore());
    for (let i = 0; i < 10; i++) expect(await limiter.check({ limit: 0, windowMs: 1_000 }, 'k')).toBeNull();
  });
});
