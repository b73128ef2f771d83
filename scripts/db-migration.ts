// `npm run db:migration -- <name>`: writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql with the
// SQL that takes the existing migrations to prisma/schema.prisma. Works offline (wasm schema engine).
import fs from 'node:fs';
import path from 'node:path';
import { diffMigration, LOCKFILE, LOCKFILE_CONTENT, listMigrationNames } from '../lib/db/migrate';

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:migration -- <name>   (lower-case letters, digits and _)');
    process.exit(2);
  }
  const migrationsDir = path.resolve('prisma/migrations');
  fs.mkdirSync(migrationsDir, { recursive: true });
  const lockPath = path.join(migrationsDir, LOCKFILE);
  if (!fs.existsSync(lockPath)) fs.writeFileSync(lockPath, LOCKFILE_CONTENT);

  const schema = fs.readFileSync(path.resolve('prisma/schema.prisma'), 'utf8');
  const sql = await diffMigration({ schema, migrationsDir });
  if (sql === '') {
    console.log('No schema changes: nothing written.');
    return;
  }
  // Keep names increasing even if the clock is behind the newest folder.
  const last = listMigrationNames(migrationsDir).at(-1)?.slice(0, 14) ?? '';
  let stamp = timestamp(new Date());
  if (stamp <= last) stamp = String(BigInt(last) + 1n);
  const folder = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'migration.sql'), sql);
  console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
