// Single sign-on decisions (issue 15) on PGlite and PostgreSQL: which account an identity the issuer
// vouched for signs in as — the first account is the admin; a first-time user goes through the sign-up
// policy and domain allow-list; a second sign-in finds the account by the issuer's subject; an existing
// account is linked only with a verified email and never moved to another subject; the admin group grants
// admin (audited) and never demotes; a disabled account is refused. The browser flow is tests/e2e/sso.spec.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { en } from '@/lib/i18n/messages/en';
import { zh } from '@/lib/i18n/messages/zh';
import { type ChatHarness, openChatHarness } from '@/tests/support/chat-harness';
import { describeEachDatabase } from '@/tests/support/db';

const ADMINS = 'kimi-admins';

describeEachDatabase('single sign-on: which account an identity signs in as', (kind) => {
  let h: ChatHarness;
  let sso: typeof import('@/lib/auth/sso');
  const email = (name: string) => `${name}-${kind}@example.com`;
  const identity = (name: string, extra: Partial<import('@/lib/auth/sso').SsoIdentity> = {}) => ({
    subject: `sub-${name}`,
    email: email(name),
    emailVerified: true,
    name,
    groups: [],
    ...extra,
  });
  const setPolicy = (policy: string, allowedDomains: string[] = []) =>
    h.prisma.setting.upsert({
      where: { key: 'auth.signup' },
      create: { key: 'auth.signup', value: { policy, allowedDomains } },
      update: { value: { policy, allowedDomains } },
    });
  const row = (name: string) => h.prisma.user.findUnique({ where: { email: email(name) } });

  beforeAll(async () => {
    resetConfigForProcess();
    delete process.env.DATABASE_URL;
    h = await openChatHarness(kind, { SIGNUP_POLICY: 'approval' });
    sso = await import('@/lib/auth/sso');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the first account is the admin; under approval the next waits; a second sign-in finds the account by subject', async () => {
    const first = await sso.signInWithSso(identity('root'), ADMINS);
    expect(first).toMatchObject({ ok: true, user: { role: 'admin', email: email('root') } });
    expect(await row('root')).toMatchObject({ role: 'admin', approved: true, oidcSubject: 'sub-root', passwordHash: null });

    const waiting = await sso.signInWithSso(identity('waiter'), ADMINS);
    expect(waiting).toMatchObject({ ok: true, user: { role: 'user', pending: true } });
    expect(await row('waiter')).toMatchObject({ approved: false });
    // The issuer changed the address: the subject still finds the same account, nothing new is made.
    const before = await h.prisma.user.count();
    const again = await sso.signInWithSso(identity('waiter', { email: email('waiter-renamed') }), ADMINS);
    expect(again.ok && again.user.id).toBe((await row('waiter'))?.id);
    expect(await h.prisma.user.count()).toBe(before);
  });

  it('open admits at once; closed, invite and a domain outside the allow-list refuse and make nothing', async () => {
    await setPolicy('open');
    expect(await sso.signInWithSso(identity('opener'), ADMINS)).toMatchObject({ ok: true, user: { role: 'user' } });
    expect((await row('opener'))?.approved).toBe(true);
    await setPolicy('closed');
    expect(await sso.signInWithSso(identity('closed-out'), ADMINS)).toEqual({ ok: false, reason: 'sign_up_closed' });
    await setPolicy('invite');
    expect(await sso.signInWithSso(identity('uninvited'), ADMINS)).toEqual({ ok: false, reason: 'sso_invitation_required' });
    // Existing accounts still get in under invite and closed.
    expect(await sso.signInWithSso(identity('opener'), ADMINS)).toMatchObject({ ok: true });
    await setPolicy('open', ['example.org']);
    expect(await sso.signInWithSso(identity('elsewhere'), ADMINS)).toEqual({ ok: false, reason: 'email_domain_not_allowed' });
    expect(await sso.signInWithSso({ ...identity('inside'), email: `inside-${kind}@example.org` }, ADMINS)).toMatchObject({ ok: true });
    for (const name of ['closed-out', 'uninvited', 'elsewhere']) expect(await row(name)).toBeNull();
    await setPolicy('open');
  });

  it('an existing account is linked only with a verified email, and never moved to another subject', async () => {
    const { createUser } = await import('@/lib/auth/users');
    const password = await createUser({ email: email('pw'), password: 'a long enough password' });
    expect(await sso.signInWithSso(identity('pw', { emailVerified: false }), ADMINS)).toEqual({ ok: false, reason: 'sso_email_unverified' });
    expect((await row('pw'))?.oidcSubject).toBeNull();
    const linked = await sso.signInWithSso(identity('pw'), ADMINS);
    expect(linked.ok && linked.user.id).toBe(password.id);
    expect((await row('pw'))?.oidcSubject).toBe('sub-pw');
    // The password still works: linking adds a way in, it takes none away.
    const { verifyCredentials } = await import('@/lib/auth/users');
    expect((await verifyCredentials(email('pw'), 'a long enough password')).ok).toBe(true);
    expect(await sso.signInWithSso(identity('pw', { subject: 'sub-someone-else' }), ADMINS)).toEqual({ ok: false, reason: 'sso_identity_mismatch' });
    // No email at all, or not an email: refused before anything is looked up.
    expect(await sso.signInWithSso(identity('nomail', { email: undefined }), ADMINS)).toEqual({ ok: false, reason: 'sso_email_missing' });
    expect(await sso.signInWithSso(identity('badmail', { email: 'not an address' }), ADMINS)).toEqual({ ok: false, reason: 'sso_email_missing' });
    // An account made by single sign-on has no password to sign in with.
    expect((await verifyCredentials(email('opener'), '')).ok).toBe(false);
  });

  it('the admin group grants admin to new and existing users (audited once) and never demotes; a disabled user is refused', async () => {
    expect(await sso.signInWithSso(identity('boss', { groups: ['staff', ADMINS] }), ADMINS)).toMatchObject({ ok: true, user: { role: 'admin' } });
    const opener = await row('opener');
    expect(opener?.role).toBe('user');
    // Without an admin group configured, the claim means nothing.
    expect(await sso.signInWithSso(identity('opener', { groups: [ADMINS] }), undefined)).toMatchObject({ ok: true, user: { role: 'user' } });
    expect(await sso.signInWithSso(identity('opener', { groups: [ADMINS] }), ADMINS)).toMatchObject({ ok: true, user: { role: 'admin' } });
    expect(await sso.signInWithSso(identity('opener', { groups: [ADMINS] }), ADMINS)).toMatchObject({ ok: true, user: { role: 'admin' } });
    const audit = await h.prisma.auditEvent.findMany({ where: { target: `user:${opener?.id}` } });
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'user.role',
        actorId: opener?.id,
        before: { role: 'user' },
        after: { role: 'admin', source: 'oidc_admin_group' },
      }),
    ]);
    // Leaving the group does not demote (roles are managed on /admin/users).
    expect(await sso.signInWithSso(identity('opener'), ADMINS)).toMatchObject({ ok: true, user: { role: 'admin' } });

    await h.prisma.user.update({ where: { id: opener!.id }, data: { disabled: true } });
    expect(await sso.signInWithSso(identity('opener'), ADMINS)).toEqual({ ok: false, reason: 'account_disabled' });
    await h.prisma.user.update({ where: { email: email('pw') }, data: { disabled: true } });
    expect(await sso.signInWithSso(identity('pw'), ADMINS)).toEqual({ ok: false, reason: 'account_disabled' });
  });

  it('reads the claims the issuer sends: groups as a list or one string, email_verified as a boolean or a string', () => {
    expect(sso.identityFromClaims({ sub: 'a', email: 'A@x.io', email_verified: 'true', roles: 'kimi-admins' }, 'roles')).toEqual({
      subject: 'a',
      email: 'A@x.io',
      emailVerified: true,
      name: null,
      groups: ['kimi-admins'],
    });
    expect(sso.identityFromClaims({ sub: 'b', groups: ['x', 3, 'y'] }, 'groups')).toMatchObject({ emailVerified: false, groups: ['x', 'y'] });
    expect(sso.identityFromClaims({ email: 'no-subject@x.io' }, 'groups')).toBeNull();
  });

  it('every refusal has its own English and Chinese message', () => {
    for (const code of [
      'sso_email_missing',
      'sso_email_unverified',
      'sso_identity_mismatch',
      'sso_invitation_required',
      'sso_failed',
      'password_sign_in_off',
    ] as const) {
      expect(en.auth.errors[code]).toBeTruthy();
      expect(zh.auth.errors[code]).toBeTruthy();
      expect(zh.auth.errors[code]).not.toBe(en.auth.errors[code]);
    }
  });
});
