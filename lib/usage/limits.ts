// Monthly limits: a default for everyone (Setting `quota.default`) and per-user overrides (User columns).
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';

export const QUOTA_DEFAULT_KEY = 'quota.default';

/** A non-negative decimal as text (costs are exact decimals, never floats). */
export const decimalText = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,10})?$/, 'a non-negative decimal');

export const limitsSchema = z.object({
  tokens: z.number().int().min(0).max(2_147_483_647).nullable(),
  cost: decimalText.nullable(),
});
export type Limits = z.infer<typeof limitsSchema>;

export const NO_LIMITS: Limits = { tokens: null, cost: null };

export function parseDefaultLimits(value: unknown): Limits {
  const parsed = limitsSchema.safeParse(value);
  return parsed.success ? parsed.data : NO_LIMITS;
}

export async function readDefaultLimits(prisma: PrismaClient): Promise<Limits> {
  const row = await prisma.setting.findUnique({ where: { key: QUOTA_DEFAULT_KEY } });
  return parseDefaultLimits(row?.value);
}

export async function writeDefaultLimits(prisma: PrismaClient, limits: Limits): Promise<void> {
  const value = limits as unknown as Prisma.InputJsonValue;
  await prisma.setting.upsert({ where: { key: QUOTA_DEFAULT_KEY }, create: { key: QUOTA_DEFAULT_KEY, value }, update: { value } });
}

/** A user's own limit wins over the default; null in a user column means "use the default". */
export function effectiveLimits(user: { tokens: number | null; cost: string | null }, defaults: Limits): Limits {
  return { tokens: user.tokens ?? defaults.tokens, cost: user.cost ?? defaults.cost };
}
