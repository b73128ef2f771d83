// Who gets in (issue 15): the sign-up policy on the server — approval (a pending account sees only the
// waiting page and gets 403 from every API until an admin approves), invite, open, closed, the domain
// allow-list — and the audit log: every admin change writes its row in the same transaction, a refused
// or failed change writes none. PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { en } from '@/lib/i18n/messages/en';
import { zh } from '@/lib/i18n/messages/zh';
import { type ChatHarness, ORIGIN, openChatHarness, type Who } from '@/tests/support/chat-harness';
import { parseCsvRecords } from '@/tests/support/csv';
import { describeEachDatabase } from '@/tests/support/db';
import { cookieJar, requestState } from '../support/next-headers';

// Pages and server actions read the request through next/headers (tests/support/next-headers.ts).
const jar = cookieJar;
vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());

const PASSWORD = 'a long enough password';
const COOKIE = 'authjs.session-token';

/** The sign-up page's action; a redirect comes back as where it goes and the cookie it left. */
async function signUp(email: string): Promise<{ error?: string; redirected?: string; cookie?: string }> {
  const { signUpAction } = await import('@/app/(auth)/actions');
  jar.clear();
  requestState.headers.set('host', '127.0.0.1:3000');
  requestState.headers.set('x-forwarded-proto', 'http');
  const form = new FormData();
  form.set('email', email);
  form.set('password', PASSWORD);
  form.set('callbackUrl', '/');
  try {
    return (await signUpAction({}, form)) as { error?: string };
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (!digest?.startsWith('NEXT_REDIRECT')) throw error;
    return { redirected: digest.split(';')[2], cookie: `${COOKIE}=${jar.get(COOKIE) ?? ''}` };
  }
}

/** The element with this data-testid in a server component's output, found without rendering client parts. */
function findByTestId(node: unknown, id: string): { props: Record<string, unknown> } | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findByTestId(child, id);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object' || !('props' in node)) return undefined;
  const element = node as { props: Record<string, unknown> };
  if (element.props['data-testid'] === id) return element;
  for (const value of Object.values(element.props)) {
    const found = findByTestId(value, id);
    if (found) return found;
  }
  return undefined;
}

type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;

describeEachDatabase('sign-up policy and audit log', (kind) => {
  let h: ChatHarness;
  let admin: Who & { email: string };
  let routes: { users: { POST: Handler }; settings: { POST: Handler }; prices: { POST: Handler }; docSettings: { PUT: Handler } };
  const call = (cookie: string, handler: Handler, url: string, json: unknown, id?: string) =>
    handler(new Request(`${ORIGIN}${url}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(json) }), {
      params: Promise.resolve({ id: id ?? '' }),
    });
  const setPolicy = (policy: string, domains = '') =>
    call(admin.cookie, routes.settings.POST, '/api/admin/settings', { setting: 'signupPolicy', policy, domains });
  const audit = () => h.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });

  beforeAll(async () => {
    resetConfigForProcess();
    delete process.env.DATABASE_URL;
    h = await openChatHarness(kind, { SIGNUP_POLICY: 'approval', RATE_LIMIT_SIGN_UP_PER_HOUR: '0', RATE_LIMIT_SIGN_IN_PER_MINUTE: '0' });
    routes = {
      users: (await import('@/app/api/admin/users/[id]/route')) as never,
      settings: (await import('@/app/api/admin/settings/route')) as never,
      prices: (await import('@/app/api/admin/prices/route')) as never,
      docSettings: (await import('@/app/api/documents/settings/route')) as never,
    };
  });
  afterAll(async () => {
    jar.clear();
    await h?.close();
  });

  it('approval (SIGNUP_POLICY on a fresh instance): the first account is the admin, the next waits; approval lets it in and is audited', async () => {
    const first = await signUp(`root-${kind}@example.com`);
    expect(first.redirected).toBe('/');
    const root = await h.prisma.user.findUniqueOrThrow({ where: { email: `root-${kind}@example.com` } });
    expect(root).toMatchObject({ role: 'admin', approved: true });
    admin = { id: root.id, email: root.email, cookie: first.cookie! };

    const waiting = await signUp(`wait-${kind}@example.com`);
    expect(waiting.redirected).toBe('/'); // signed in; every page then shows the waiting page
    const row = await h.prisma.user.findUniqueOrThrow({ where: { email: `wait-${kind}@example.com` } });
    expect(row).toMatchObject({ role: 'user', approved: false });

    // Every API: 403 account_pending.
    const list = await h.routes.list.GET!(h.req({ cookie: waiting.cookie! }, '/api/conversations'));
    expect(list.status).toBe(403);
    expect(await list.json()).toEqual({ error: { code: 'account_pending', retryable: false } });
    const chat = await h.post(
      { cookie: waiting.cookie! },
      { id: crypto.randomUUID(), trigger: 'submit-message', message: h.userMessage('hi'), settings: h.settings() },
    );
    expect(chat.status).toBe(403);
    // Every page and server action: the waiting page.
    jar.set(COOKIE, waiting.cookie!.slice(COOKIE.length + 1));
    const { requireUser } = await import('@/lib/auth/session');
    await expect(requireUser('/')).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/pending;/) });
    const pendingPage = (await import('@/app/(auth)/pending/page')).default;
    await expect(pendingPage()).resolves.toBeTruthy();

    // The chat sidebar's badge: the admin sees the count, a normal user never does; gone once approved (below).
    const badgeIn = async (cookie: string) => {
      jar.set(COOKIE, cookie.slice(COOKIE.length + 1));
      const ChatLayout = (await import('@/app/(chat)/layout')).default;
      return findByTestId(await ChatLayout({ children: null }), 'sidebar-pending-badge');
    };
    expect((await badgeIn(admin.cookie))?.props).toMatchObject({ href: '/admin/access', children: '1 waiting for approval' });
    // A normal user cannot approve; the admin can, with one audit row.
    expect((await call(waiting.cookie!, routes.users.POST, `/api/admin/users/${row.id}`, { action: 'approve' }, row.id)).status).toBe(403);
    expect(await h.prisma.user.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ approved: false });
    const approve = await call(admin.cookie, routes.users.POST, `/api/admin/users/${row.id}`, { action: 'approve' }, row.id);
    expect(approve.status).toBe(200);
    expect(await h.prisma.user.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ approved: true });
    expect(await badgeIn(admin.cookie)).toBeUndefined();
    await signUp(`wait2-${kind}@example.com`);
    expect(await badgeIn(admin.cookie)).toBeDefined();
    expect(await badgeIn(waiting.cookie!)).toBeUndefined(); // approved now, but not an admin
    expect((await audit()).map((e) => ({ kind: e.kind, target: e.target, actor: e.actorEmail, before: e.before, after: e.after }))).toEqual([
      { kind: 'user.approved', target: `user:${row.id}`, actor: admin.email, before: false, after: true },
    ]);
    expect((await h.routes.list.GET!(h.req({ cookie: waiting.cookie! }, '/api/conversations'))).status).toBe(200);
    // The approved user's page no longer redirects to the waiting page.
    await expect(pendingPage()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/;/) });
  });

  it('closed and invite refuse with their own translated reason, creating nothing', async () => {
    expect((await setPolicy('closed')).status).toBe(200);
    expect(await signUp(`closed-${kind}@example.com`)).toEqual({ error: 'sign_up_closed', email: `closed-${kind}@example.com` });
    expect((await setPolicy('invite')).status).toBe(200);
    expect(await signUp(`invite-${kind}@example.com`)).toEqual({ error: 'invitation_required', email: `invite-${kind}@example.com` });
    expect(await h.prisma.user.count({ where: { email: { in: [`closed-${kind}@example.com`, `invite-${kind}@example.com`] } } })).toBe(0);
    for (const code of ['sign_up_closed', 'invitation_required', 'email_domain_not_allowed'] as const) {
      expect(en.auth.errors[code]).toBeTruthy();
      expect(zh.auth.errors[code]).toBeTruthy();
      expect(zh.auth.errors[code]).not.toBe(en.auth.errors[code]);
    }
    expect(zh.errors.account_pending).toBeTruthy();
  });

  it('open with a domain allow-list: other domains are refused, allowed ones get in at once', async () => {
    expect((await setPolicy('open', 'corp.example, @Team.Example')).status).toBe(200);
    expect(await signUp(`x-${kind}@elsewhere.example`)).toMatchObject({ error: 'email_domain_not_allowed' });
    expect(await signUp(`x-${kind}@sub.corp.example`)).toMatchObject({ error: 'email_domain_not_allowed' });
    expect((await signUp(`ok-${kind}@team.example`)).redirected).toBe('/');
    expect(await h.prisma.user.findUniqueOrThrow({ where: { email: `ok-${kind}@team.example` } })).toMatchObject({ approved: true });
    const policyRows = (await audit()).filter((e) => e.kind === 'setting.signupPolicy');
    expect(policyRows.at(-1)).toMatchObject({
      before: { policy: 'invite', allowedDomains: [] },
      after: { policy: 'open', allowedDomains: ['corp.example', 'team.example'] },
    });
    // A bad domain changes nothing and writes no row.
    const count = (await audit()).length;
    const bad = await setPolicy('closed', 'not a domain!');
    expect(bad.status).toBe(400);
    expect((await h.prisma.setting.findUniqueOrThrow({ where: { key: 'auth.signup' } })).value).toMatchObject({ policy: 'open' });
    expect((await audit()).length).toBe(count);
  });

  it('every admin change writes one row with before → after; a refused change writes none', async () => {
    const user = await h.signedIn(`target-${kind}@example.com`);
    const start = (await audit()).length;
    const u = (json: unknown) => call(admin.cookie, routes.users.POST, `/api/admin/users/${user.id}`, json, user.id);
    expect((await u({ action: 'role', role: 'admin' })).status).toBe(200);
    expect((await u({ action: 'role', role: 'user' })).status).toBe(200);
    expect((await u({ action: 'disabled', disabled: true })).status).toBe(200);
    expect((await u({ action: 'disabled', disabled: false })).status).toBe(200);
    expect((await u({ action: 'limits', tokens: 1000, cost: '2.5' })).status).toBe(200);
    expect(
      (
        await call(admin.cookie, routes.prices.POST, '/api/admin/prices', {
          model: 'kimi-k2.6',
          currency: 'CNY',
          cacheHit: '1',
          input: '4',
          output: '16',
        })
      ).status,
    ).toBe(200);
    expect((await call(admin.cookie, routes.settings.POST, '/api/admin/settings', { setting: 'lowBalance', threshold: 42 })).status).toBe(200);
    expect((await call(admin.cookie, routes.settings.POST, '/api/admin/settings', { setting: 'quotaDefault', tokens: 5, cost: null })).status).toBe(
      200,
    );
    expect((await call(admin.cookie, routes.settings.POST, '/api/admin/settings', { setting: 'defaultModel', model: 'kimi-k3' })).status).toBe(200);
    const put = await routes.docSettings.PUT(
      new Request(`${ORIGIN}/api/documents/settings`, {
        method: 'PUT',
        headers: { cookie: admin.cookie, 'content-type': 'application/json' },
        body: '{"extractor":"kimi"}',
      }),
    );
    expect(put.status).toBe(200);
    // The last admin cannot be demoted: refused, no row.
    expect((await call(admin.cookie, routes.users.POST, `/api/admin/users/${admin.id}`, { action: 'role', role: 'user' }, admin.id)).status).toBe(
      409,
    );

    const rows = (await audit()).slice(start);
    expect(rows.map((e) => [e.kind, e.before, e.after])).toEqual([
      ['user.role', 'user', 'admin'],
      ['user.role', 'admin', 'user'],
      ['user.disabled', false, true],
      ['user.disabled', true, false],
      ['user.limits', { tokens: null, cost: null }, { tokens: 1000, cost: '2.5' }],
      ['price.set', expect.objectContaining({ input: expect.any(String) }), { cacheHit: '1', input: '4', output: '16' }],
      ['setting.lowBalance', 10, 42],
      ['setting.quotaDefault', { tokens: null, cost: null }, { tokens: 5, cost: null }],
      ['setting.defaultModel', null, 'kimi-k3'],
      ['setting.extractor', 'local', 'kimi'],
    ]);
    for (const row of rows) expect(row).toMatchObject({ actorId: admin.id, actorEmail: admin.email });
    expect(rows[0]).toMatchObject({ target: `user:${user.id}`, targetLabel: `target-${kind}@example.com` });
  });

  it('the audit log filters by admin, target and kind, pages newest first, and exports what the filter matches as CSV', async () => {
    const { listAudit } = await import('@/lib/admin/audit');
    const all = await audit();
    const newestFirst = [...all].reverse().map((e) => e.id.toString());
    // Pages of 3, continued with `before`, cover every row exactly once.
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listAudit(h.prisma, before ? { before } : {}, 3);
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(newestFirst);
    const target = `target-${kind}@example.com`;
    const byTarget = await listAudit(h.prisma, { target: target.toUpperCase() });
    expect(byTarget.rows.map((r) => r.kind)).toEqual(['user.limits', 'user.disabled', 'user.disabled', 'user.role', 'user.role']);
    expect((await listAudit(h.prisma, { kind: 'price.set' })).rows).toHaveLength(1);
    expect((await listAudit(h.prisma, { actor: 'nobody-' })).rows).toHaveLength(0);
    expect((await listAudit(h.prisma, { actor: admin.email.slice(0, 6) })).rows).toHaveLength(all.length);

    const exportRoute = (await import('@/app/api/admin/audit/export/route')) as unknown as { GET: Handler };
    const res = await exportRoute.GET(new Request(`${ORIGIN}/api/admin/audit/export?kind=user.role&before=1`, { headers: { cookie: admin.cookie } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const records = parseCsvRecords(await res.text());
    expect(records.map((r) => [r.kind, r.target_label, r.before, r.after])).toEqual([
      ['user.role', target, 'admin', 'user'],
      ['user.role', target, 'user', 'admin'],
    ]);
    expect(records[0]!.actor).toBe(admin.email);
    // A normal user: refused.
    const user = await h.signedIn(`csv-${kind}@example.com`);
    expect((await exportRoute.GET(new Request(`${ORIGIN}/api/admin/audit/export`, { headers: { cookie: user.cookie } }))).status).toBe(403);
  });

  it('a change whose audit row cannot be written does not happen', async () => {
    const user = await h.signedIn(`atomic-${kind}@example.com`);
    const { applyUserAction } = await import('@/lib/admin/users');
    // An actor id with no account: the audit row's foreign key fails, inside the change's transaction.
    await expect(
      applyUserAction(h.prisma, user.id, { action: 'role', role: 'admin' }, { id: crypto.randomUUID(), email: 'ghost@example.com' }),
    ).rejects.toThrow();
    expect(await h.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: 'user' });
    expect(await h.prisma.auditEvent.count({ where: { target: `user:${user.id}` } })).toBe(0);
  });
});

describe('domain lists', () => {
  it('parses what an admin types and refuses what is not a domain', async () => {
    const { parseDomainList, emailDomainAllowed } = await import('@/lib/auth/signup-policy');
    expect(parseDomainList(' a.example,\nB.example  @c.example a.example')).toEqual(['a.example', 'b.example', 'c.example']);
    expect(parseDomainList('')).toEqual([]);
    expect(parseDomainList('no_underscores.example')).toBeNull();
    expect(emailDomainAllowed('x@a.example', ['a.example'])).toBe(true);
    expect(emailDomainAllowed('x@evil-a.example', ['a.example'])).toBe(false);
    expect(emailDomainAllowed('x@anything', [])).toBe(true);
  });
});
