// Personal API keys (issue 16): made by their user, shown once, stored as the SHA-256 of the secret with a
// recognisable prefix (`kc-`), optionally expiring, revoked by their user or an admin. A key is only a way
// in: role, quota, disabled and API access are always the user's.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '@/lib/db/generated/client';
import { stripBidiControls } from '@/lib/security/unicode';
import { forgetKey } from './key-cache';

export const KEY_PREFIX = 'kc-';
/** How many characters of the secret are kept in clear to tell keys apart (`kc-` + 6). */
const SHOWN_CHARS = KEY_PREFIX.length + 6;
/** Open keys a user may hold at once: enough for every script and editor, not a key per request. */
export const MAX_OPEN_KEYS = 50;
export const MAX_EXPIRY_DAYS = 3650;

export const createKeySchema = z.object({
  name: z
    .string()
    .transform((s) => stripBidiControls(s).trim())
    .pipe(z.string().min(1).max(60)),
  /** null or absent = never expires. */
  expiresInDays: z.number().int().min(1).max(MAX_EXPIRY_DAYS).nullish(),
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;

/** What a key looks like to its owner and to admins: never the secret, never its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const hashKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function newSecret(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

const summarySelect = { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;
type SummaryRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export function toSummary(row: SummaryRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export type CreateKeyResult = { ok: true; key: ApiKeySummary; secret: string } | { ok: false; reason: 'too_many_keys' };

/** Makes a key for `userId`; the secret is in the answer and nowhere else. */
export async function createApiKey(prisma: PrismaClient, userId: string, input: CreateKeyInput, now = new Date()): Promise<CreateKeyResult> {
  const open = await prisma.apiKey.count({ where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
  if (open >= MAX_OPEN_KEYS) return { ok: false, reason: 'too_many_keys' };
  const secret = newSecret();
  const row = await prisma.apiKey.create({
    data: {
      userId,
      name: input.name,
      hash: hashKey(secret),
      prefix: secret.slice(0, SHOWN_CHARS),
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
    },
    select: summarySelect,
  });
  return { ok: true, key: toSummary(row), secret };
}

/** The user's own keys, newest first (revoked ones too, marked). */
export async function listApiKeys(prisma: PrismaClient, userId: string): Promise<ApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, select: summarySelect });
  return rows.map(toSummary);
}

/**
 * Revokes one of the user's own keys. Someone else's key, or no such key, is `not_found` (never telling
 * the two apart); revoking a revoked key again is fine.
 */
export async function revokeOwnApiKey(prisma: PrismaClient, userId: string, id: string): Promise<'ok' | 'not_found'> {
  const row = await prisma.apiKey.findFirst({ where: { id, userId }, select: { hash: true, revokedAt: true } });
  if (!row) return 'not_found';
  if (!row.revokedAt) await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  forgetKey(row.hash);
  return 'ok';
}
