// Single sign-on (OpenID Connect): which account an identity from the issuer signs in as. Found by the
// issuer's `sub` once linked; otherwise by email, where an existing account is linked only when the issuer
// vouches for the address (`email_verified: true`) and a new one is made only if the sign-up policy admits
// it. Membership of the admin group grants admin at each sign-in (it never takes admin away: roles are
// otherwise managed on /admin/users, and the last admin must not be lost to an issuer's group change).
import 'server-only';
import { z } from 'zod';
import { db, type Prisma } from '@/lib/db';
import { writeAudit } from '@/lib/db/audit';
import { NAME_MAX_LENGTH } from './limits';
import { emailSchema } from './schemas';
import { forgetCachedUser } from './session';
import { decideSignUp, readSignupSetting, type SignupRefusal } from './signup-policy';
import type { SessionUser } from './types';
import { EmailTakenError, insertAccount, SignUpRefusedError } from './users';

/** What the issuer's ID token says about the person (claims validated in ./oidc-provider). */
export interface SsoIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | null;
  groups: readonly string[];
}

/** Why a single sign-on was refused; each has its own message (auth.errors.<code>). */
export type SsoRefusal =
  | 'sso_email_missing'
  | 'sso_email_unverified'
  | 'sso_identity_mismatch'
  | 'sso_invitation_required'
  | 'account_disabled'
  | Exclude<SignupRefusal, 'invitation_required' | `invitation_${string}`>;

export type SsoResult = { ok: true; user: SessionUser & { sessionVersion: number } } | { ok: false; reason: SsoRefusal };

const rowFields = { id: true, email: true, name: true, role: true, approved: true, disabled: true, sessionVersion: true, oidcSubject: true } as const;
type Row = Prisma.UserGetPayload<{ select: typeof rowFields }>;

function refusalOf(reason: SignupRefusal): SsoRefusal {
  // Invitations are links to the password sign-up page; a first single sign-on cannot carry one.
  return reason === 'sign_up_closed' || reason === 'email_domain_not_allowed' ? reason : 'sso_invitation_required';
}

/** Signs in an identity the issuer vouched for; `adminGroup` undefined = roles are not taken from the issuer. */
export async function signInWithSso(identity: SsoIdentity, adminGroup: string | undefined): Promise<SsoResult> {
  const email = emailSchema.safeParse(identity.email);
  if (!email.success) return { ok: false, reason: 'sso_email_missing' };
  const admin = adminGroup !== undefined && identity.groups.includes(adminGroup);
  const found = await findOrLink(identity, email.data);
  if (found === 'create') {
    try {
      return finish(await create(identity, email.data, admin), admin);
    } catch (error) {
      if (error instanceof SignUpRefusedError) return { ok: false, reason: refusalOf(error.reason) };
      // Made meanwhile by a concurrent sign-in (or sign-up) with this address: decide again on that row.
      if (error instanceof EmailTakenError) return signInWithSso(identity, adminGroup);
      throw error;
    }
  }
  if (typeof found === 'string') return { ok: false, reason: found };
  return finish(found, admin);
}

async function findOrLink(identity: SsoIdentity, email: string): Promise<Row | SsoRefusal | 'create'> {
  const prisma = await db();
  const linked = await prisma.user.findUnique({ where: { oidcSubject: identity.subject }, select: rowFields });
  if (linked) return linked;
  const byEmail = await prisma.user.findUnique({ where: { email }, select: rowFields });
  if (!byEmail) return 'create';
  // Linking hands the account to whoever the issuer says owns the address: only if it checked that.
  if (!identity.emailVerified) return 'sso_email_unverified';
  // Already linked to another identity of the issuer (e.g. a re-created directory user): not silently moved.
  if (byEmail.oidcSubject !== null) return 'sso_identity_mismatch';
  const claimed = await prisma.user.updateMany({ where: { id: byEmail.id, oidcSubject: null }, data: { oidcSubject: identity.subject } });
  if (claimed.count !== 1) return 'sso_identity_mismatch';
  return { ...byEmail, oidcSubject: identity.subject };
}

/** A first sign-in: the instance's first account is the admin; any later one goes through the sign-up policy. */
async function create(identity: SsoIdentity, email: string, admin: boolean): Promise<Row> {
  const user = await insertAccount({ email, name: identity.name, passwordHash: null, oidcSubject: identity.subject }, async (tx, address, first) => {
    if (first) return { role: 'admin', approved: true };
    const decision = decideSignUp(await readSignupSetting(tx), address);
    if (!decision.ok) throw new SignUpRefusedError(decision.reason);
    return { role: admin ? 'admin' : 'user', approved: decision.approved };
  });
  return { ...user, disabled: false, oidcSubject: identity.subject };
}

async function finish(row: Row, admin: boolean): Promise<SsoResult> {
  if (row.disabled) return { ok: false, reason: 'account_disabled' };
  let role = row.role;
  if (admin && role !== 'admin') {
    const prisma = await db();
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: row.id }, data: { role: 'admin' } });
      // An administrative change like any other: the issuer's group made it, on this user's sign-in.
      await writeAudit(
        tx,
        { id: row.id, email: row.email },
        {
          kind: 'user.role',
          target: `user:${row.id}`,
          targetLabel: row.email,
          before: { role },
          after: { role: 'admin', source: 'oidc_admin_group' },
        },
      );
    });
    forgetCachedUser(row.id);
    role = 'admin';
  }
  const user: SessionUser & { sessionVersion: number } = { id: row.id, email: row.email, name: row.name, role, sessionVersion: row.sessionVersion };
  return { ok: true, user: row.approved ? user : { ...user, pending: true } };
}

/** The claims this app reads from an ID token; anything else the issuer sends is ignored. */
export const ssoClaimsSchema = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional(),
  name: z.string().optional(),
});

/** The identity from validated ID-token claims; `groupsClaim` names the claim with the user's groups. */
export function identityFromClaims(claims: Record<string, unknown>, groupsClaim: string): SsoIdentity | null {
  const parsed = ssoClaimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const raw = claims[groupsClaim];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  const { sub, email, email_verified, name } = parsed.data;
  // Some issuers send the boolean as a string.
  return {
    subject: sub,
    email,
    emailVerified: email_verified === true || email_verified === 'true',
    name: name?.trim().slice(0, NAME_MAX_LENGTH) || null,
    groups,
  };
}
