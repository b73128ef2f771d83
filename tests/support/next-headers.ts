// A stand-in for `next/headers` in tests that call pages, route handlers and server actions directly: one
// cookie jar and one set of request headers, which a test fills for its caller (and server actions write
// to, as Next would). Use: vi.mock('next/headers', async () => (await import('../support/next-headers')).nextHeadersModule());
export const cookieJar = new Map<string, string>();
export const requestState = { headers: new Headers() };

export function nextHeadersModule() {
  return {
    cookies: async () => ({
      getAll: () => [...cookieJar].map(([name, value]) => ({ name, value })),
      get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name) as string } : undefined),
      has: (name: string) => cookieJar.has(name),
      set: (name: string, value: string) => void cookieJar.set(name, value),
      delete: (name: string) => void cookieJar.delete(name),
    }),
    headers: async () => requestState.headers,
  };
}
