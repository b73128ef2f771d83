import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc); the build need not do it again, nor fail on a test file.
  typescript: { ignoreBuildErrors: true },
  // Loaded from node_modules at run time, not bundled: WebAssembly engines and native-ish drivers.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/schema-engine-wasm', '@prisma/adapter-pg', 'pg'],
};

export default nextConfig;
