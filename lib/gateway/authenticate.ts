// Who is calling /api/v1: `Authorization: Bearer kc-…` → the key (by its hash) → its user, refused with
// Kimi's error shapes when the key is unknown, revoked or expired, the user disabled or waiting for
// approval, or API access is off for the user or the instance. A browser session cookie is never
// looked at: the gateway is reachable with a personal key only. Every check is cached (./key-cache), so
// a call costs no query once its key has been seen; lastUsedAt is written at most once a minute per key.
import 'server-only';
import { activeUser, type SessionUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { kimiError } from './errors';
import { accessSlot, CACHE_TTL_MS, type CachedKey, gatewayCache, INSTANCE_SLOT, keySlot, sharedRead } from './key-cache';
import { hashKey, KEY_PREFIX } from './keys';
import { readApiEnabled } from './switches';

const TOUCH_EVERY_MS = 60_000;

export interface ApiCaller {
  user: SessionUser;
  key: { id: string; name: string };
}

async function keyByHash(hash: string): Promise<CachedKey | null> {
  const cached = gatewayCache.keys.get(hash);
  if (cached !== undefined) return cached;
  return sharedRead(
    keySlot(hash),
    async () => {
      const row = await (await db()).apiKey.findUnique({
        where: { hash },
        select: { id: true, userId: true, name: true, expiresAt: true, revokedAt: true },
      });
      return row
        ? { id: row.id, userId: row.userId, name: row.name, expiresAt: row.expiresAt?.getTime() ?? null, revoked: row.revokedAt !== null }
        : null;
    },
    (key) => gatewayCache.keys.set(hash, key, Date.now() + CACHE_TTL_MS),
  );
}

async function userApiAccess(userId: string): Promise<boolean> {
  const cached = gatewayCache.apiAccess.get(userId);
  if (cached !== undefined) return cached;
  return sharedRead(
    accessSlot(userId),
    async () => (await (await db()).user.findUnique({ where: { id: userId }, select: { apiAccess: true } }))?.apiAccess ?? false,
    (allowed) => gatewayCache.apiAccess.set(userId, allowed, Date.now() + CACHE_TTL_MS),
  );
}

async function instanceApiEnabled(): Promise<boolean> {
  const cached = gatewayCache.instance;
  if (cached && cached.until > Date.now()) return cached.enabled;
  return sharedRead(
    INSTANCE_SLOT,
    async () => readApiEnabled(await db()),
    (enabled) => {
      gatewayCache.instance = { enabled, until: Date.now() + CACHE_TTL_MS };
    },
  );
}

/** Fire and forget, at most once a minute per key and process: last-used is a hint, not a log. */
function touch(keyId: string, now: number): void {
  const last = gatewayCache.touched.get(keyId) ?? 0;
  if (now - last < TOUCH_EVERY_MS) return;
  gatewayCache.touched.set(keyId, now);
  void db()
    .then((prisma) => prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } }))
    .catch((error: unknown) => console.error('[gateway] could not record a key as used:', error instanceof Error ? error.message : error));
}

const unauthorized = (message: string) => kimiError(401, 'invalid_authentication_error', message);
const denied = (message: string) => kimiError(403, 'permission_denied_error', message);

function bearerOf(header: string | null | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** The caller of an /api/v1 request (from its Authorization header), or the Kimi-shaped refusal to return as is. */
export async function apiCaller(authorization: string | null | undefined): Promise<ApiCaller | Response> {
  const secret = bearerOf(authorization);
  if (!secret) return unauthorized('Missing API key: send "Authorization: Bearer <your personal API key>" (made on your account page)');
  if (!secret.startsWith(KEY_PREFIX)) return unauthorized('Incorrect API key provided: use a personal key (kc-…) made on your account page');
  const key = await keyByHash(hashKey(secret));
  if (!key) return unauthorized('Incorrect API key provided');
  if (key.revoked) return unauthorized('This API key was revoked');
  const now = Date.now();
  if (key.expiresAt !== null && key.expiresAt <= now) return unauthorized(`This API key expired at ${new Date(key.expiresAt).toISOString()}`);
  const [user, access, enabled] = await Promise.all([activeUser(key.userId), userApiAccess(key.userId), instanceApiEnabled()]);
  if (!user) return unauthorized("This API key's account is disabled");
  if (!enabled) return denied('API access is switched off on this Kimi Chat instance');
  if (user.pending) return denied("This API key's account is waiting for an administrator's approval");
  if (!access) return denied('API access is switched off for this account');
  touch(key.id, now);
  return { user, key: { id: key.id, name: key.name } };
}
