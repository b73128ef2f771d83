// Admin settings kept in the Setting table: the default monthly limits, the low-balance warning threshold
// and (validated and written by lib/kimi/models) the instance's default model.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { writeDefaultLimits } from '@/lib/usage/limits';
import { forgetAllQuotas } from '@/lib/usage/quota';
import { limitsFormSchema } from './users';

export const LOW_BALANCE_KEY = 'usage.lowBalanceThreshold';
export const DEFAULT_LOW_BALANCE = 10;
/** Whether conversations may turn on Kimi's web search (default: yes). */
export const WEB_SEARCH_KEY = 'chat.webSearchEnabled';

export const settingsSchema = z.discriminatedUnion('setting', [
  limitsFormSchema.extend({ setting: z.literal('quotaDefault') }),
  z.object({ setting: z.literal('lowBalance'), threshold: z.coerce.number().min(0).max(1e9) }),
  z.object({ setting: z.literal('webSearch'), enabled: z.enum(['on', 'off']) }),
  /** The instance default model (written by lib/kimi/models, which knows what is served). */
  z.object({ setting: z.literal('defaultModel'), model: z.string().trim().min(1).max(100) }),
]);
export type SettingsInput = z.infer<typeof settingsSchema>;

export async function readLowBalanceThreshold(prisma: PrismaClient): Promise<number> {
  const row = await prisma.setting.findUnique({ where: { key: LOW_BALANCE_KEY } });
  const parsed = z.number().min(0).safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_LOW_BALANCE;
}

/** The admin's switch for web search on this instance (on unless turned off). */
export async function readWebSearchEnabled(prisma: Pick<PrismaClient, 'setting'>): Promise<boolean> {
  const row = await prisma.setting.findUnique({ where: { key: WEB_SEARCH_KEY } });
  return row?.value !== false;
}

export async function writeSettings(prisma: PrismaClient, input: Exclude<SettingsInput, { setting: 'defaultModel' }>): Promise<void> {
  if (input.setting === 'quotaDefault') {
    await writeDefaultLimits(prisma, { tokens: input.tokens, cost: input.cost });
    forgetAllQuotas();
    return;
  }
  if (input.setting === 'webSearch') {
    const value = input.enabled === 'on';
    await prisma.setting.upsert({ where: { key: WEB_SEARCH_KEY }, create: { key: WEB_SEARCH_KEY, value }, update: { value } });
    return;
  }
  const value = input.threshold as Prisma.InputJsonValue;
  await prisma.setting.upsert({ where: { key: LOW_BALANCE_KEY }, create: { key: LOW_BALANCE_KEY, value }, update: { value } });
}
