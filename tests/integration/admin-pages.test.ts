// Every admin page checks the role on the server: rendered as a normal user it is a 404, signed out a
// redirect to sign-in, and only an admin gets the page (here rendered to HTML, chart included).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SECRET = 'integration-test-secret-0123456789abcdef';
let cookie = '';

vi.mock('next/headers', () => ({
  cookies: async () => {
    const jar = new Map(cookie ? [[cookie.split('=')[0]!, cookie.slice(cookie.indexOf('=') + 1)]] : []);
    return {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    };
  },
  headers: async () => new Headers({ 'accept-language': 'en' }),
}));

type Page = (props: { params: Promise<Record<string, string>>; searchParams: Promise<Record<string, string>> }) => Promise<ReactElement>;

describe('admin pages', () => {
  let pages: Array<[string, Page, Record<string, string>]>;
  let adminCookie = '';
  let userCookie = '';

  async function cookieFor(email: string) {
    const { createUser } = await import('@/lib/auth/users');
    const user = await createUser({ email, password: 'correct horse battery' });
    const token = await encode({
      token: { sub: user.id, id: user.id, email, role: user.role, sessionVersion: 0 },
      secret: SECRET,
      salt: 'authjs.session-token',
    });
    return { id: user.id, cookie: `authjs.session-token=${token}` };
  }

  beforeAll(async () => {
    Object.assign(process.env, { AUTH_SECRET: SECRET, MOONSHOT_API_KEY: '', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kimi-chat-admin-pages-')) });
    const admin = await cookieFor('root@example.com');
    const user = await cookieFor('user@example.com');
    adminCookie = admin.cookie;
    userCookie = user.cookie;
    const { db } = await import('@/lib/db');
    const { ledgerWrites } = await import('@/lib/usage/rollups');
    const prisma = await db();
    await prisma.$transaction(
      ledgerWrites(prisma, {
        userId: user.id,
        purpose: 'chat',
        requestedModel: 'auto',
        servedModel: 'kimi-k2.6',
        promptTokens: 1200,
        cachedTokens: 0,
        completionTokens: 300,
        reasoningTokens: 0,
        cost: '0.0111000000',
        currency: 'CNY',
        ttftMs: 420,
        durationMs: 900,
        outcome: 'ok',
      }),
    );
    pages = [
      ['/admin', (await import('@/app/admin/page')).default as unknown as Page, {}],
      ['/admin/usage', (await import('@/app/admin/usage/page')).default as unknown as Page, {}],
      ['/admin/usage/users/[id]', (await import('@/app/admin/usage/users/[id]/page')).default as unknown as Page, { id: user.id }],
      ['/admin/prices', (await import('@/app/admin/prices/page')).default as unknown as Page, {}],
      ['/admin/users', (await import('@/app/admin/users/page')).default as unknown as Page, {}],
      ['layout', (async () => (await import('@/app/admin/layout')).default({ children: null })) as unknown as Page, {}],
    ];
  });
  afterAll(async () => (await import('@/lib/db')).closeDb());

  const render = (page: Page, params: Record<string, string>) => page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
  const digest = async (run: Promise<unknown>) => {
    try {
      await run;
      return 'rendered';
    } catch (error) {
      return String((error as { digest?: string }).digest ?? error);
    }
  };

  it('answers a normal user with a 404 and a signed-out visitor with a redirect to sign-in', async () => {
    for (const [name, page, params] of pages) {
      cookie = userCookie;
      expect({ name, result: await digest(render(page, params)) }).toEqual({ name, result: 'NEXT_HTTP_ERROR_FALLBACK;404' });
      cookie = '';
      const redirected = await digest(render(page, params));
      expect({ name, redirected: /^NEXT_REDIRECT;(replace|push);\/sign-in\?callbackUrl=/.test(redirected) }).toEqual({ name, redirected: true });
    }
  });

  it('renders for an admin: the usage page has totals, a titled chart and both tables', async () => {
    cookie = adminCookie;
    const html = renderToStaticMarkup(await render(pages[1]![1], {}));
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*><title id="usage-chart-title">Cost \(CNY\) per day by model<\/title>/);
    expect(html).toContain('<title>');
    expect(html).toContain('By model');
    expect(html).toContain('user@example.com');
    expect(html).toMatch(/data-testid="total-promptTokens">1,200</);
    for (const [name, page, params] of pages.slice(2, 5))
      expect({ name, result: await digest(render(page, params)) }).toEqual({ name, result: 'rendered' });
  });
});
