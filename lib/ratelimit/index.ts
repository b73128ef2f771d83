// The app's rate limits: sign-in and sign-up per client address (and sign-in per email), chat per user.
// Counts live in memory, or in Redis when REDIS_URL is set so every instance sees the same numbers.
import 'server-only';
import { createClient } from 'redis';
import { config } from '@/lib/config';
import type { AppError } from '@/lib/errors';
import { errorJson } from '@/lib/http';
import { createRateLimiter, type RateLimiter } from './limiter';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import type { RateLimitStore } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Sends commands once connected; a dead Redis surfaces as a failed hit (the limiter then allows). */
function redisStore(url: string): RateLimitStore {
  const client = createClient({ url, socket: { connectTimeout: 2_000 } });
  client.on('error', (error: unknown) => console.error('[ratelimit] redis:', error instanceof Error ? error.message : error));
  const ready = client.connect();
  const store = new RedisStore(client);
  return {
    hit: async (key, rule, now) => {
      await ready;
      return store.hit(key, rule, now);
    },
  };
}

let limiter: RateLimiter | undefined;
function rateLimiter(): RateLimiter {
  const url = config().security.redisUrl;
  limiter ??= createRateLimiter(url ? redisStore(url) : new MemoryStore());
  return limiter;
}

/** Seconds to wait before signing in again, or null. Checked before any password work. */
export async function checkSignInRateLimit(clientIp: string, email: string): Promise<number | null> {
  const limits = config().security.rateLimits;
  const byIp = await rateLimiter().check({ limit: limits.signInPerIp, windowMs: MINUTE }, `sign-in:ip:${clientIp}`);
  if (byIp !== null) return byIp;
  return rateLimiter().check({ limit: limits.signInPerEmail, windowMs: MINUTE }, `sign-in:email:${email.toLowerCase()}`);
}

/**
 * Seconds to wait before the account page checks this user's current password again, or null. Guessing it
 * there is signing in by another door, so it spends the same per-address and per-email budget as sign-in.
 */
export function checkPasswordChangeRateLimit(clientIp: string, email: string): Promise<number | null> {
  return checkSignInRateLimit(clientIp, email);
}

/** Seconds to wait before signing up again from this address, or null. */
export function checkSignUpRateLimit(clientIp: string): Promise<number | null> {
  return rateLimiter().check({ limit: config().security.rateLimits.signUpPerIp, windowMs: HOUR }, `sign-up:ip:${clientIp}`);
}

/** The chat route's per-user limit: a `too_many_requests` error to answer with, or null. */
export async function checkChatRateLimit(userId: string): Promise<AppError | null> {
  const rule = { limit: config().security.rateLimits.chatPerUser, windowMs: MINUTE };
  const retryAfterSeconds = await rateLimiter().check(rule, `chat:user:${userId}`);
  return retryAfterSeconds === null ? null : { code: 'too_many_requests', params: { retryAfterSeconds }, retryable: true };
}

/**
 * The /api/v1 gateway's limits, per personal key and per user over all their keys: the seconds to wait, or
 * null. The key is counted first, so a user's other keys are not spent by one key's refused calls.
 */
export async function checkApiRateLimit(userId: string, keyId: string): Promise<number | null> {
  const { apiPerKey, apiPerUser } = config().security.rateLimits;
  const byKey = await rateLimiter().check({ limit: apiPerKey, windowMs: MINUTE }, `api:key:${keyId}`);
  if (byKey !== null) return byKey;
  return rateLimiter().check({ limit: apiPerUser, windowMs: MINUTE }, `api:user:${userId}`);
}

/** The 429 for a `too_many_requests` error, with `Retry-After`. */
export function tooManyRequests(error: AppError): Response {
  const response = errorJson(429, error);
  response.headers.set('retry-after', String(error.params?.retryAfterSeconds ?? 60));
  return response;
}
