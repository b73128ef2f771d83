// Writing migrations offline: the committed migrations match prisma/schema.prisma, and
// `npm run db:migration -- <name>` writes exactly the change made to the schema.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { diffMigration, findMigrationsDir, listMigrationNames } from '@/lib/db/migrate';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');
/** By path: `--import tsx` would resolve tsx from the child's working directory. */
const tsxLoader = pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
/** Each diff starts an in-memory PGlite: seconds when idle, much more on a busy shared machine. */
const DIFF_TIMEOUT = 120_000;
const schema = fs.readFileSync(path.join(repoRoot, 'prisma/schema.prisma'), 'utf8');
const migrationsDir = findMigrationsDir(repoRoot);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-migration-'));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('prisma/migrations is in step with prisma/schema.prisma', async () => {
  const sql = await diffMigration({ schema, migrationsDir });
  expect(sql, 'schema.prisma changed without a migration: run `npm run db:migration -- <name>`').toBe('');
});

it(
  'db:migration writes the next migration with just the schema change, from any working directory',
  async () => {
    fs.cpSync(path.join(repoRoot, 'prisma'), path.join(work, 'prisma'), { recursive: true });
    const changed = schema.replace(/(model Setting \{\n)/, '$1  note      String?\n');
    expect(changed).not.toBe(schema);
    fs.writeFileSync(path.join(work, 'prisma/schema.prisma'), changed);

    const { stdout } = await run(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'scripts/db-migration.ts'), 'add_note'], {
      cwd: work,
      timeout: 90_000,
    });
    const workMigrations = path.join(work, 'prisma/migrations');
    const names = listMigrationNames(workMigrations);
    expect(names.slice(0, -1)).toEqual(listMigrationNames(migrationsDir));
    const added = names.at(-1)!;
    expect(added).toMatch(/^\d{14}_add_note$/);
    expect(added > names.at(-2)!).toBe(true);
    expect(stdout).toContain(added);
    const sql = fs.readFileSync(path.join(workMigrations, added, 'migration.sql'), 'utf8');
    const statements = sql.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('--'));
    expect(statements).toEqual(['ALTER TABLE "Setting" ADD COLUMN     "note" TEXT;']);

    // Now nothing is left to write.
    expect(await diffMigration({ schema: changed, migrationsDir: workMigrations })).toBe('');
  },
  DIFF_TIMEOUT,
);
