import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside React's server condition; in tests every module is server-side.
      'server-only': path.join(root, 'tests/support/empty-module.ts'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that sign up several accounts expect them usable at once; the policy tests set theirs in the
    // database (tests/integration/signup-policy.test.ts), which wins over SIGNUP_POLICY.
    env: { NEXT_TELEMETRY_DISABLED: '1', SIGNUP_POLICY: 'open' },
    // next-auth imports `next/server` without an extension, which Node's resolver refuses; bundle it.
    server: { deps: { inline: ['next-auth'] } },
  },
});
