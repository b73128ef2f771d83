import type { NextConfig } from 'next';
import { API_CSP, SECURITY_HEADERS } from './lib/security/headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc); the build need not do it again, nor fail on a test file.
  typescript: { ignoreBuildErrors: true },
  // Static security headers on every response; pages get their nonce CSP from proxy.ts.
  headers: async () => [
    { source: '/:path*', headers: [...SECURITY_HEADERS] },
    { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
  ],
  // Loaded from node_modules at run time, not bundled: WebAssembly engines and native-ish drivers.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/schema-engine-wasm', '@prisma/adapter-pg', 'pg'],
};

export default nextConfig;
