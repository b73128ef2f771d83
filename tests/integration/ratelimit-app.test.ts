// The app's limits as routes and actions use them, configured from settings, in memory and in Redis.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';

async function freshLimits(env: Record<string, string>) {
  vi.resetModules();
  Object.assign(process.env, env);
  resetConfigForProcess();
  return import('@/lib/ratelimit');
}

afterEach(() => {
  for (const name of [
    'REDIS_URL',
    'RATE_LIMIT_CHAT_PER_MINUTE',
    'RATE_LIMIT_SIGN_IN_PER_MINUTE',
    'RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE',
    'RATE_LIMIT_SIGN_UP_PER_HOUR',
  ])
    delete process.env[name];
  resetConfigForProcess();
});

describe.each([
  ['memory', {}],
  ['redis', { REDIS_URL: process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379' }],
])('app rate limits (%s)', (_kind, store) => {
  it('refuses the chat request over the per-user limit with a retryable 429 and Retry-After', async () => {
    const limits = await freshLimits({ ...store, RATE_LIMIT_CHAT_PER_MINUTE: '2' });
    const user = crypto.randomUUID();
    expect(await limits.checkChatRateLimit(user)).toBeNull();
    expect(await limits.checkChatRateLimit(user)).toBeNull();
    const error = await limits.checkChatRateLimit(user);
    expect(error).toMatchObject({ code: 'too_many_requests', retryable: true });
    const wait = Number(error?.params?.retryAfterSeconds);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limits.checkChatRateLimit(crypto.randomUUID())).toBeNull(); // per user
    const res = limits.tooManyRequests(error!);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(wait));
    expect(await res.json()).toEqual({ error: error });
  });

  it('locks out sign-in per email across addresses, and per address across emails', async () => {
    const limits = await freshLimits({ ...store, RATE_LIMIT_SIGN_IN_PER_MINUTE: '4', RATE_LIMIT_SIGN_IN_EMAIL_PER_MINUTE: '2' });
    const email = `${crypto.randomUUID()}@example.com`;
    expect(await limits.checkSignInRateLimit(`ip-${crypto.randomUUID()}`, email)).toBeNull();
    expect(await limits.checkSignInRateLimit(`ip-${crypto.randomUUID()}`, email.toUpperCase())).toBeNull();
    expect(await limits.checkSignInRateLimit(`ip-${crypto.randomUUID()}`, email)).toBeGreaterThan(0);
    const ip = `ip-${crypto.randomUUID()}`;
    for (let i = 0; i < 4; i++) expect(await limits.checkSignInRateLimit(ip, `${crypto.randomUUID()}@example.com`)).toBeNull();
    expect(await limits.checkSignInRateLimit(ip, `${crypto.randomUUID()}@example.com`)).toBeGreaterThan(0);
  });

  it('limits sign-ups per address per hour', async () => {
    const limits = await freshLimits({ ...store, RATE_LIMIT_SIGN_UP_PER_HOUR: '1' });
    const ip = `ip-${crypto.randomUUID()}`;
    expect(await limits.checkSignUpRateLimit(ip)).toBeNull();
    const wait = await limits.checkSignUpRateLimit(ip);
    expect(wait).toBeGreaterThan(60);
    expect(wait).toBeLessThanOrEqual(3600);
  });
});
