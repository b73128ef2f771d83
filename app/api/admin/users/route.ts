import { z } from 'zod';
import { signUpSchema } from '@/lib/auth/schemas';
import { apiAdmin } from '@/lib/auth/session';
import { createUser, EmailTakenError } from '@/lib/auth/users';
import { adminDone, adminInvalid, adminRefused, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

const createSchema = z.object({
  email: z.string(),
  password: z.string(),
  name: z.string().optional(),
  role: z.enum(['user', 'admin']).default('user'),
});

/** POST /api/admin/users — { email, password, name?, role }: an admin creates an active account (audited). */
export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, createSchema);
  if (!input.data) return adminInvalid(req, input);
  const account = signUpSchema.safeParse(input.data);
  if (!account.success) return adminInvalid(req, { ...input, problem: account.error.issues[0]?.message ?? 'invalid account' });
  try {
    const user = await createUser(account.data, input.data.role, admin);
    return adminDone(req, input, { id: user.id, email: user.email, role: user.role });
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    return adminRefused(req, input, 409, 'email_taken', { code: 'bad_request', retryable: false });
  }
}
