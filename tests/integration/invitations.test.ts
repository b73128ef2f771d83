// Invitations, admin-made password-reset links and accounts created by admins (issue 15), on PGlite and
// PostgreSQL: an invitation works once, not after it expired or was revoked, grants its role whatever the
// policy; a reset link works once, not after it expired, and ends the user's other sessions; each admin
// action writes its audit row.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { type ChatHarness, ORIGIN, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { describeEachDatabase } from '@/tests/support/db';
import { cookieJar, requestState } from '../support/next-headers';

// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
const jar = cookieJar;
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const PASSWORD = 'a long enough password';
const COOKIE = 'authjs.session-token';
type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;

async function runAction(run: () => Promise<unknown>): Promise<{ error?: string; redirected?: string; cookie?: string }> {
  jar.clear();
  requestState.headers.set('host', '127.0.0.1:3000');
  requestState.headers.set('x-forwarded-proto', 'http');
  try {
    return (await run()) as { error?: string };
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (!digest?.startsWith('NEXT_REDIRECT')) throw error;
    return { redirected: digest.split(';')[2], cookie: `${COOKIE}=${jar.get(COOKIE) ?? ''}` };
  }
}
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
async function signUp(email: string, invite?: string) {
  const { signUpAction } = await import('@/app/(auth)/actions');
  return runAction(() => signUpAction({}, form({ email, password: PASSWORD, callbackUrl: '/', ...(invite ? { invite } : {}) })));
}
async function reset(token: string, password: string, confirm = password) {
  const { resetPasswordAction } = await import('@/app/(auth)/actions');
  return runAction(() => resetPasswordAction({}, form({ token, password, confirmPassword: confirm })));
}

describeEachDatabase('invitations, reset links, accounts made by admins', (kind) => {
  let h: ChatHarness;
  let admin: Who & { email: string };
  let routes: { invitations: { POST: Handler }; invitation: { POST: Handler }; user: { POST: Handler }; users: { POST: Handler } };
  const call = (handler: Handler, url: string, json: unknown, id = '', cookie = admin.cookie) =>
    handler(new Request(`${ORIGIN}${url}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(json) }), {
      params: Promise.resolve({ id }),
    });
  const invite = async (json: object = {}) => {
    const res = await call(routes.invitations.POST, '/api/admin/invitations', json);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; link: string };
    return { id: body.id, token: new URL(body.link).searchParams.get('invite')! };
  };
  const resetLink = async (userId: string) => {
    const res = await call(routes.user.POST, `/api/admin/users/${userId}`, { action: 'resetLink' }, userId);
    expect(res.status).toBe(200);
    return new URL(((await res.json()) as { link: string }).link).searchParams.get('token')!;
  };

  beforeAll(async () => {
    resetConfigForProcess();
    delete process.env.DATABASE_URL;
    h = await openChatHarness(kind, { SIGNUP_POLICY: 'closed', RATE_LIMIT_SIGN_UP_PER_HOUR: '0', RATE_LIMIT_SIGN_IN_PER_MINUTE: '0' });
    routes = {
      invitations: (await import('@/app/api/admin/invitations/route')) as never,
      invitation: (await import('@/app/api/admin/invitations/[id]/route')) as never,
      user: (await import('@/app/api/admin/users/[id]/route')) as never,
      users: (await import('@/app/api/admin/users/route')) as never,
    };
    admin = { ...(await h.signedIn(`root-${kind}@example.com`)), email: `root-${kind}@example.com` };
  });
  afterAll(async () => {
    jar.clear();
    await h?.close();
  });

  it('an invitation admits one sign-up with its role, even with sign-up closed; the second use is refused', async () => {
    expect(await signUp(`nobody-${kind}@example.com`)).toMatchObject({ error: 'sign_up_closed' });
    const { id, token } = await invite({ role: 'admin', note: 'Ops lead' });
    expect((await h.prisma.invitation.findUniqueOrThrow({ where: { id } })).tokenHash).not.toContain(token);
    const first = await signUp(`invited-${kind}@example.com`, token);
    expect(first.redirected).toBe('/');
    const user = await h.prisma.user.findUniqueOrThrow({ where: { email: `invited-${kind}@example.com` } });
    expect(user).toMatchObject({ role: 'admin', approved: true });
    expect(await h.prisma.invitation.findUniqueOrThrow({ where: { id } })).toMatchObject({ usedById: user.id });
    // Who used it: one audit row, the new account as its actor, written with the sign-up.
    const usedRows = () => h.prisma.auditEvent.findMany({ where: { kind: 'invitation.used' } });
    expect(await usedRows()).toEqual([
      expect.objectContaining({
        actorId: user.id,
        actorEmail: `invited-${kind}@example.com`,
        target: `invitation:${id}`,
        targetLabel: 'Ops lead',
        after: { usedBy: `invited-${kind}@example.com`, role: 'admin' },
      }),
    ]);
    expect(await signUp(`second-${kind}@example.com`, token)).toMatchObject({ error: 'invitation_used' });
    expect(await usedRows()).toHaveLength(1);
    expect(await h.prisma.user.count({ where: { email: `second-${kind}@example.com` } })).toBe(0);
    // Revoking a used one is refused.
    expect((await call(routes.invitation.POST, `/api/admin/invitations/${id}`, { action: 'revoke' }, id)).status).toBe(409);
  });

  it('expired, revoked and made-up invitations are refused with their own reason', async () => {
    const expired = await invite();
    await h.prisma.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await signUp(`late-${kind}@example.com`, expired.token)).toMatchObject({ error: 'invitation_expired' });
    const revoked = await invite();
    expect((await call(routes.invitation.POST, `/api/admin/invitations/${revoked.id}`, { action: 'revoke' }, revoked.id)).status).toBe(200);
    expect(await signUp(`withdrawn-${kind}@example.com`, revoked.token)).toMatchObject({ error: 'invitation_revoked' });
    expect(await signUp(`forged-${kind}@example.com`, 'A'.repeat(43))).toMatchObject({ error: 'invitation_invalid' });
    expect(await signUp(`forged2-${kind}@example.com`, 'not a token')).toMatchObject({ error: 'invitation_invalid' });
    const refused = ['late', 'withdrawn', 'forged', 'forged2'].map((name) => `${name}-${kind}@example.com`);
    expect(await h.prisma.user.count({ where: { email: { in: refused } } })).toBe(0);
    const kinds = (await h.prisma.auditEvent.findMany({ where: { kind: { startsWith: 'invitation.' } }, orderBy: { id: 'asc' } })).map((e) => e.kind);
    expect(kinds).toEqual(['invitation.created', 'invitation.used', 'invitation.created', 'invitation.created', 'invitation.revoked']);
  });

  it('a reset link sets the password once, ends every other session, and is refused when used again or expired', async () => {
    const user = await h.signedIn(`forgetful-${kind}@example.com`);
    const other = user.cookie;
    const { getUserFromRequest } = await import('@/lib/auth/session');
    expect(await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie: other } }))).not.toBeNull();
    const token = await resetLink(user.id);
    expect(await reset(token, 'short')).toEqual({ error: 'password_too_short' });
    expect(await reset(token, 'a brand new password', 'something else')).toEqual({ error: 'password_mismatch' });
    const done = await reset(token, 'a brand new password');
    expect(done.redirected).toBe('/');
    // The old session is over; this browser has a fresh one.
    expect(await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie: other } }))).toBeNull();
    expect((await getUserFromRequest(new Request(`${ORIGIN}/`, { headers: { cookie: done.cookie! } })))?.id).toBe(user.id);
    const { verifyCredentials } = await import('@/lib/auth/users');
    expect((await verifyCredentials(`forgetful-${kind}@example.com`, 'a brand new password')).ok).toBe(true);
    expect(await reset(token, 'yet another password')).toEqual({ error: 'reset_used' });
    const late = await resetLink(user.id);
    await h.prisma.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await reset(late, 'yet another password')).toEqual({ error: 'reset_expired' });
    expect(await reset('B'.repeat(43), 'yet another password')).toEqual({ error: 'reset_invalid' });
    expect((await verifyCredentials(`forgetful-${kind}@example.com`, 'a brand new password')).ok).toBe(true);
    expect(await h.prisma.auditEvent.count({ where: { kind: 'user.passwordResetLink', target: `user:${user.id}` } })).toBe(2);
  });

  it('an admin creates an account directly (audited); a taken email is refused; a normal user cannot', async () => {
    const res = await call(routes.users.POST, '/api/admin/users', { email: `Made-${kind}@Example.com`, password: PASSWORD, role: 'user' });
    expect(res.status).toBe(200);
    const made = await h.prisma.user.findUniqueOrThrow({ where: { email: `made-${kind}@example.com` } });
    expect(made).toMatchObject({ role: 'user', approved: true });
    expect(await h.prisma.auditEvent.findFirst({ where: { kind: 'user.created', target: `user:${made.id}` } })).toMatchObject({ actorId: admin.id });
    expect((await call(routes.users.POST, '/api/admin/users', { email: `made-${kind}@example.com`, password: PASSWORD })).status).toBe(409);
    expect((await call(routes.users.POST, '/api/admin/users', { email: 'x', password: PASSWORD })).status).toBe(400);
    const normal = await h.signedIn(`normal-${kind}@example.com`);
    expect(
      (await call(routes.users.POST, '/api/admin/users', { email: `sneaky-${kind}@example.com`, password: PASSWORD }, '', normal.cookie)).status,
    ).toBe(403);
    expect((await call(routes.invitations.POST, '/api/admin/invitations', { role: 'admin' }, '', normal.cookie)).status).toBe(403);
  });

  it("an invitation's use and its audit row commit together: when the row cannot be written, no account and the link stays open", async () => {
    const { id, token } = await invite();
    // The database refuses new rows of that kind (both engines; earlier rows stay), as a failed write would.
    await h.prisma.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ADD CONSTRAINT test_no_invitation_used CHECK (kind <> 'invitation.used') NOT VALID`);
    try {
      await expect(signUp(`atomic-${kind}@example.com`, token)).rejects.toThrow();
    } finally {
      await h.prisma.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DROP CONSTRAINT test_no_invitation_used`);
    }
    expect(await h.prisma.user.count({ where: { email: `atomic-${kind}@example.com` } })).toBe(0);
    expect(await h.prisma.invitation.findUniqueOrThrow({ where: { id } })).toMatchObject({ usedAt: null, usedById: null });
    // The same link then works, once.
    expect((await signUp(`atomic-${kind}@example.com`, token)).redirected).toBe('/');
    expect(await h.prisma.auditEvent.count({ where: { kind: 'invitation.used', target: `invitation:${id}` } })).toBe(1);
  });
});
