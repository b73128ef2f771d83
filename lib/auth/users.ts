// Accounts: creating them and checking their passwords. The first account becomes the admin.
import 'server-only';
import { db, Prisma } from '@/lib/db';
import { type AuditActor, writeAudit } from '@/lib/db/audit';
import { hashLinkToken, looksLikeLinkToken } from './link-token';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { type SignUpInput, signUpSchema } from './schemas';
import { decideSignUp, readSignupSetting, type SignupRefusal } from './signup-policy';
import type { SessionUser } from './types';

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor() {
    super('An account with this email already exists');
  }
}

/** The sign-up policy refused this account (lib/auth/signup-policy.ts). */
export class SignUpRefusedError extends Error {
  override name = 'SignUpRefusedError';
  constructor(readonly reason: SignupRefusal) {
    super(`Sign-up refused: ${reason}`);
  }
}

const userFields = { id: true, email: true, name: true, role: true, approved: true } as const;

/** What an account is made of: a password (hashed) or a single-sign-on identity. */
export interface NewAccount {
  email: string;
  name: string | null;
  passwordHash: string | null;
  oidcSubject?: string;
}

export type Decide = (
  tx: Prisma.TransactionClient,
  email: string,
  first: boolean,
) => Promise<{ role: 'user' | 'admin'; approved: boolean; after?: (userId: string) => Promise<void> }>;

/** A password account's row (input validated here too); hashed before any transaction, as it is the slow part. */
async function passwordAccount(input: SignUpInput): Promise<NewAccount> {
  const { email, password, name } = signUpSchema.parse(input);
  return { email, name: name ?? null, passwordHash: await hashPassword(password) };
}

/**
 * Inserts an account. Account creations are serialised by a transaction-scoped advisory lock, so of any
 * number of concurrent first sign-ups exactly one sees an empty table and becomes admin, and the policy
 * read by `decide` is the one in force when the row is written.
 */
export async function insertAccount(account: NewAccount, decide: Decide): Promise<SessionUser & { approved: boolean; sessionVersion: number }> {
  const { email } = account;
  const prisma = await db();
  try {
    return await prisma.$transaction(
      async (tx) => {
        // The key is arbitrary; it only has to differ from other advisory locks the app takes.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(4861207335190412)`;
        const first = (await tx.user.findFirst({ select: { id: true } })) === null;
        const { role, approved, after } = await decide(tx, email, first);
        const user = await tx.user.create({ data: { ...account, role, approved }, select: { ...userFields, sessionVersion: true } });
        await after?.(user.id);
        return user;
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new EmailTakenError();
    throw error;
  }
}

/**
 * Creates an active account without asking the sign-up policy (an admin creating it, scripts, tests). The
 * first account of the instance becomes the admin.
 * @throws EmailTakenError, ZodError
 */
export async function createUser(input: SignUpInput, role: 'user' | 'admin' = 'user', actor?: AuditActor): Promise<SessionUser> {
  const {
    approved: _approved,
    sessionVersion: _version,
    ...user
  } = await insertAccount(await passwordAccount(input), async (tx, email, first) => ({
    role: first ? 'admin' : role,
    approved: true,
    // An admin creating the account: its audit row is part of the same transaction.
    after: actor
      ? (id) =>
          writeAudit(tx, actor, {
            kind: 'user.created',
            target: `user:${id}`,
            targetLabel: email,
            before: null,
            after: { role: first ? 'admin' : role },
          })
      : undefined,
  }));
  return user;
}

/**
 * A sign-up from the sign-up page: the first account becomes the (approved) admin; any later one is
 * decided by the instance's sign-up policy and domain allow-list (`approval` makes it wait for an admin).
 * @throws SignUpRefusedError, EmailTakenError, ZodError
 */
export async function signUpUser(input: SignUpInput, { invitation }: { invitation?: string } = {}): Promise<SessionUser & { approved: boolean }> {
  const { sessionVersion: _version, ...user } = await insertAccount(await passwordAccount(input), async (tx, email, first) => {
    if (first) return { role: 'admin', approved: true };
    // An invitation admits whatever the policy (the admin chose this person): single use, unexpired, unrevoked.
    if (invitation !== undefined) {
      const row = looksLikeLinkToken(invitation) ? await tx.invitation.findUnique({ where: { tokenHash: hashLinkToken(invitation) } }) : null;
      const now = new Date();
      if (!row) throw new SignUpRefusedError('invitation_invalid');
      if (row.revokedAt) throw new SignUpRefusedError('invitation_revoked');
      if (row.usedAt) throw new SignUpRefusedError('invitation_used');
      if (row.expiresAt <= now) throw new SignUpRefusedError('invitation_expired');
      // Claimed only if still unused: of two sign-ups with one link, one wins.
      const claimed = await tx.invitation.updateMany({ where: { id: row.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new SignUpRefusedError('invitation_used');
      return {
        role: row.role,
        approved: true,
        after: async (userId) => {
          await tx.invitation.update({ where: { id: row.id }, data: { usedById: userId } });
          // Who used it, with the sign-up itself: the new account is the actor of its own admission.
          await writeAudit(
            tx,
            { id: userId, email },
            {
              kind: 'invitation.used',
              target: `invitation:${row.id}`,
              targetLabel: row.note || email,
              before: null,
              after: { usedBy: email, role: row.role },
            },
          );
        },
      };
    }
    const decision = decideSignUp(await readSignupSetting(tx), email);
    if (!decision.ok) throw new SignUpRefusedError(decision.reason);
    return { role: 'user', approved: decision.approved };
  });
  return user;
}

export type CredentialsResult =
  | { ok: true; user: SessionUser & { sessionVersion: number } }
  | { ok: false; reason: 'invalid_credentials' | 'account_disabled' };

/** Checks an email (already normalised) and password. "Disabled" is only revealed to someone who knows the password. */
export async function verifyCredentials(email: string, password: string): Promise<CredentialsResult> {
  const prisma = await db();
  const row = await prisma.user.findUnique({
    where: { email },
    select: { ...userFields, passwordHash: true, disabled: true, sessionVersion: true },
  });
  if (!row) {
    // Spend the same time as a real check, so response times do not tell which emails have accounts.
    await verifyPassword(password, await dummyPasswordHash());
    return { ok: false, reason: 'invalid_credentials' };
  }
  // A single-sign-on account has no password: checked against the dummy, so it costs the same and fails.
  if (!(await verifyPassword(password, row.passwordHash ?? (await dummyPasswordHash()))) || row.passwordHash === null) {
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (row.disabled) return { ok: false, reason: 'account_disabled' };
  const { id, name, role, sessionVersion } = row;
  return { ok: true, user: { id, email: row.email, name, role, sessionVersion } };
}
