// Who may create an account after the first (admin) one: the instance's sign-up policy and its optional
// email-domain allow-list. Kept in the Setting table (`auth.signup`); until an admin sets it, SIGNUP_POLICY
// decides. Read inside the sign-up transaction, so a policy change and a sign-up cannot interleave badly.
import { z } from 'zod';
import { config } from '@/lib/config';
import type { Prisma } from '@/lib/db/generated/client';

export const SIGNUP_SETTING_KEY = 'auth.signup';
export const SIGNUP_POLICIES = ['approval', 'invite', 'open', 'closed'] as const;
export type SignupPolicy = (typeof SIGNUP_POLICIES)[number];

/** A domain as typed by an admin: `example.com`, lower case, no `@`. */
const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/^@/, ''))
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/));

export const signupSettingSchema = z.object({
  policy: z.enum(SIGNUP_POLICIES),
  /** Empty = any domain. Otherwise an email must end in `@<one of these>` (sub-domains are not included). */
  allowedDomains: z.array(domainSchema).max(200),
});
export type SignupSetting = z.infer<typeof signupSettingSchema>;

/** The admin form's text (domains separated by commas, spaces or new lines) as a list. */
export function parseDomainList(text: string): string[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const parsed = z.array(domainSchema).max(200).safeParse(parts);
  return parsed.success ? [...new Set(parsed.data)] : null;
}

type SettingReader = Pick<Prisma.TransactionClient, 'setting'>;

export async function readSignupSetting(prisma: SettingReader): Promise<SignupSetting> {
  const row = await prisma.setting.findUnique({ where: { key: SIGNUP_SETTING_KEY } });
  const parsed = signupSettingSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { policy: config().auth.signupPolicy, allowedDomains: [] };
}

export function emailDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return allowedDomains.includes(domain);
}

/** Why a sign-up was refused by the policy (each has its own translated message: auth.errors.<code>). */
export type SignupRefusal =
  | 'sign_up_closed'
  | 'invitation_required'
  | 'email_domain_not_allowed'
  | 'invitation_invalid'
  | 'invitation_used'
  | 'invitation_expired'
  | 'invitation_revoked';

/** What the policy makes of a sign-up (not the first account, which is always the admin). */
export function decideSignUp(setting: SignupSetting, email: string): { ok: true; approved: boolean } | { ok: false; reason: SignupRefusal } {
  if (setting.policy === 'closed') return { ok: false, reason: 'sign_up_closed' };
  if (setting.policy === 'invite') return { ok: false, reason: 'invitation_required' };
  if (!emailDomainAllowed(email, setting.allowedDomains)) return { ok: false, reason: 'email_domain_not_allowed' };
  return { ok: true, approved: setting.policy === 'open' };
}
