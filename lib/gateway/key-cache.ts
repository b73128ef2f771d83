// What the gateway caches per process (5 s, like session checks): key rows by hash, each user's API access
// switch, and the instance switch. The instance that revokes a key or flips a switch forgets its entry at
// once; other instances see the change within the 5 s.
import { ExpiringLru, sharedLoad } from '@/lib/auth/lru';
import { processSingleton } from '@/lib/singleton';

export const CACHE_TTL_MS = 5_000;

export interface CachedKey {
  id: string;
  userId: string;
  name: string;
  expiresAt: number | null;
  revoked: boolean;
}

interface GatewayCache {
  /** hash → key; null = no such key (cached too, so guessing costs no query per request). */
  keys: ExpiringLru<string, CachedKey | null>;
  apiAccess: ExpiringLru<string, boolean>;
  instance: { enabled: boolean; until: number } | null;
  /** keyId → when this process last wrote lastUsedAt. */
  touched: Map<string, number>;
}

export const gatewayCache = processSingleton(
  'gateway.cache',
  (): GatewayCache => ({ keys: new ExpiringLru(10_000), apiAccess: new ExpiringLru(10_000), instance: null, touched: new Map() }),
);

/** Reads in flight, by slot (`key:<hash>`, `access:<userId>`, `instance`): concurrent misses share one. */
export const cacheReads = processSingleton('gateway.cacheReads', () => new Map<string, Promise<unknown>>());

/**
 * The gateway's entries read once for every caller that misses while the read runs (200 calls arriving at
 * once after an entry expired made 200 queries: on PostgreSQL, through a pool of 10, their first token came
 * ~200 ms late); a forget during the read keeps its result out of the cache.
 */
export function sharedRead<T>(slot: string, read: () => Promise<T>, fill: (value: T) => void): Promise<T> {
  return sharedLoad(cacheReads as Map<string, Promise<T>>, slot, read, fill);
}

export const keySlot = (hash: string) => `key:${hash}`;
export const accessSlot = (userId: string) => `access:${userId}`;
export const INSTANCE_SLOT = 'instance';

export function forgetKey(hash: string): void {
  gatewayCache.keys.delete(hash);
  cacheReads.delete(keySlot(hash));
}

export function forgetApiAccess(userId: string): void {
  gatewayCache.apiAccess.delete(userId);
  cacheReads.delete(accessSlot(userId));
}

export function forgetInstanceSwitch(): void {
  gatewayCache.instance = null;
  cacheReads.delete(INSTANCE_SLOT);
}
