// For the Prisma CLI only (`prisma generate`, `prisma studio`, and `prisma migrate` where the internet is
// reachable). The app itself opens the database in lib/db and applies migrations through the wasm engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
