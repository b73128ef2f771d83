// What the gateway caches per process (5 s, like session checks): key rows by hash, each user's API access
// switch, and the instance switch. The instance that revokes a key or flips a switch forgets its entry at
// once; other instances see the change within the 5 s.
import { ExpiringLru } from '@/lib/auth/lru';
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

export function forgetKey(hash: string): void {
  gatewayCache.keys.delete(hash);
}

export function forgetApiAccess(userId: string): void {
  gatewayCache.apiAccess.delete(userId);
}

export function forgetInstanceSwitch(): void {
  gatewayCache.instance = null;
}
