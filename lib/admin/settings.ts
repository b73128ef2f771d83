// Admin settings kept in the Setting table: the default monthly limits, the low-balance warning threshold,
// the sign-up policy and (validated and written by lib/chat/models) the instance's default model. Every
// write carries its audit row in the same transaction.
import { z } from 'zod';
import { parseDomainList, readSignupSetting, SIGNUP_POLICIES, SIGNUP_SETTING_KEY, type SignupSetting } from '@/lib/auth/signup-policy';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import type { Prisma, PrismaClient } from '@/lib/db/generated/client';
import { parseDefaultLimits, QUOTA_DEFAULT_KEY } from '@/lib/usage/limits';
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
  /** The instance default model (written by lib/chat/models, which knows what is served). */
  z.object({ setting: z.literal('defaultModel'), model: z.string().trim().min(1).max(100) }),
  /** Who may sign up; `domains` is the form's text (comma/space/line separated) or a list. */
  z.object({
    setting: z.literal('signupPolicy'),
    policy: z.enum(SIGNUP_POLICIES),
    domains: z.union([z.string().max(20_000), z.array(z.string().max(253)).max(200)]).default(''),
  }),
]);
export type SettingsInput = z.infer<typeof settingsSchema>;

export async function readLowBalanceThreshold(prisma: Pick<PrismaClient, 'setting'>): Promise<number> {
  const row = await prisma.setting.findUnique({ where: { key: LOW_BALANCE_KEY } });
  const parsed = z.number().min(0).safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_LOW_BALANCE;
}

/** The admin's switch for web search on this instance (on unless turned off). */
export async function readWebSearchEnabled(prisma: Pick<PrismaClient, 'setting'>): Promise<boolean> {
  const row = await prisma.setting.findUnique({ where: { key: WEB_SEARCH_KEY } });
  return row?.value !== false;
}

async function upsert(tx: Prisma.TransactionClient, key: string, value: Prisma.InputJsonValue): Promise<void> {
  await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

export type WriteSettingsResult = 'ok' | 'invalid_domains';

export async function writeSettings(
  prisma: PrismaClient,
  input: Exclude<SettingsInput, { setting: 'defaultModel' }>,
  actor: AuditActor,
): Promise<WriteSettingsResult> {
  if (input.setting === 'signupPolicy') {
    const domains = parseDomainList(Array.isArray(input.domains) ? input.domains.join(' ') : input.domains);
    if (!domains) return 'invalid_domains';
    const after: SignupSetting = { policy: input.policy, allowedDomains: domains };
    await prisma.$transaction(async (tx) => {
      const before = await readSignupSetting(tx);
      await upsert(tx, SIGNUP_SETTING_KEY, after);
      await writeAudit(tx, actor, { kind: 'setting.signupPolicy', target: `setting:${SIGNUP_SETTING_KEY}`, before, after });
    });
    return 'ok';
  }
  if (input.setting === 'quotaDefault') {
    const after = { tokens: input.tokens, cost: input.cost };
    await prisma.$transaction(async (tx) => {
      const before = parseDefaultLimits((await tx.setting.findUnique({ where: { key: QUOTA_DEFAULT_KEY } }))?.value);
      await upsert(tx, QUOTA_DEFAULT_KEY, after);
      await writeAudit(tx, actor, { kind: 'setting.quotaDefault', target: `setting:${QUOTA_DEFAULT_KEY}`, before, after });
    });
    forgetAllQuotas();
    return 'ok';
  }
  if (input.setting === 'webSearch') {
    const after = input.enabled === 'on';
    await prisma.$transaction(async (tx) => {
      const before = await readWebSearchEnabled(tx);
      await upsert(tx, WEB_SEARCH_KEY, after);
      await writeAudit(tx, actor, { kind: 'setting.webSearch', target: `setting:${WEB_SEARCH_KEY}`, before, after });
    });
    return 'ok';
  }
  await prisma.$transaction(async (tx) => {
    const before = await readLowBalanceThreshold(tx);
    await upsert(tx, LOW_BALANCE_KEY, input.threshold);
    await writeAudit(tx, actor, { kind: 'setting.lowBalance', target: `setting:${LOW_BALANCE_KEY}`, before, after: input.threshold });
  });
  return 'ok';
}
