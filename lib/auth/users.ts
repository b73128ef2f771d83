// Accounts: creating them and checking their passwords. The first account becomes the admin.
import 'server-only';
import { db, Prisma } from '@/lib/db';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { type SignUpInput, signUpSchema } from './schemas';
import type { SessionUser } from './types';

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor() {
    super('An account with this email already exists');
  }
}

const userFields = { id: true, email: true, name: true, role: true } as const;

/**
 * Creates an account (input validated here too). Sign-ups are serialised by a transaction-scoped advisory
 * lock, so of any number of concurrent first sign-ups exactly one sees an empty table and becomes admin.
 * @throws EmailTakenError, ZodError
 */
export async function createUser(input: SignUpInput): Promise<SessionUser> {
  const { email, password, name } = signUpSchema.parse(input);
  // Hash before opening the transaction: it is the slow part and needs no lock.
  const passwordHash = await hashPassword(password);
  const prisma = await db();
  try {
    return await prisma.$transaction(
      async (tx) => {
        // The key is arbitrary; it only has to differ from other advisory locks the app takes.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(4861207335190412)`;
        const first = (await tx.user.findFirst({ select: { id: true } })) === null;
        return tx.user.create({
          data: { email, passwordHash, name: name ?? null, role: first ? 'admin' : 'user' },
          select: userFields,
        });
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new EmailTakenError();
    throw error;
  }
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
  if (!(await verifyPassword(password, row.passwordHash))) return { ok: false, reason: 'invalid_credentials' };
  if (row.disabled) return { ok: false, reason: 'account_disabled' };
  const { id, name, role, sessionVersion } = row;
  return { ok: true, user: { id, email: row.email, name, role, sessionVersion } };
}
