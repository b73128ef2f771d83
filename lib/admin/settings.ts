// Admin settings kept in the Setting table: the default monthly limits, the low-balance warning threshold
// and (validated and written by lib/kimi/models) the instance's default model.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { writeDefaultLimits } from '@/lib/usage/limits';
import { forgetAllQuotas } from '@/lib/usage/quota';
import { limitsFormSchema } from './users';

export const LOW_BALANCE_KEY = 'usage.lowBalanceThreshold';
export const DEFAULT_LOW_BALANCE = 10;

export const settingsSchema = z.discriminatedUnion('setting', [
  limitsFormSchema.extend({ setting: z.literal('quotaDefault') }),
  z.object({ setting: z.literal('lowBalance'), threshold: z.coerce.number().min(0).max(1e9) }),
  /** The instance default model (written by lib/kimi/models, which knows what is served). */
  z.object({ setting: z.literal('defaultModel'), model: z.string().trim().min(1).max(100) }),
]);
export type SettingsInput = z.infer<typeof settingsSchema>;

export async function readLowBalanceThreshold(prisma: PrismaClient): Promise<number> {
  const row = await prisma.setting.findUnique({ where: { key: LOW_BALANCE_KEY } });
  const parsed = z.number().min(0).safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_LOW_BALANCE;
}

export async function writeSettings(prisma: PrismaClient, input: Exclude<SettingsInput, { setting: 'defaultModel' }>): Promise<void> {
  if (input.setting === 'quotaDefault') {
    await writeDefaultLimits(prisma, { tokens: input.tokens, cost: input.cost });
    forgetAllQuotas();
    return;
  }
  const value = input.threshold as Prisma.InputJsonValue;
  await prisma.setting.upsert({ where: { key: LOW_BALANCE_KEY }, create: { key: LOW_BALANCE_KEY, value }, update: { value } });
}
