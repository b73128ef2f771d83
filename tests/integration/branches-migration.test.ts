// The branches migration on a database that has conversations from before it: every conversation becomes
// one path (each message's parent is the one before it by order) and its current leaf is its latest message,
// so the thread and what Kimi is sent are exactly what they were. PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Connection, connectPglite, connectPostgres } from '@/lib/db/adapters';
import { PrismaClient } from '@/lib/db/generated/client';
import { applyWithEngine, findMigrationsDir, listMigrationNames } from '@/lib/db/migrate';
import { createEmptyPostgresDatabase, describeEachDatabase } from '../support/db';

const MIGRATION = listMigrationNames(findMigrationsDir()).find((name) => name.endsWith('_message_branches'));
const migrationsDir = findMigrationsDir();
/** The engine replays every migration on a fresh database: minutes on a busy shared machine. */
const TIMEOUT = 240_000;

describeEachDatabase('message branches migration', (kind) => {
  let connection: Connection;
  let prisma: PrismaClient;
  let cleanup: () => Promise<void>;
  const before = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-before-branches-'));

  beforeAll(async () => {
    expect(MIGRATION).toBeDefined();
    // The migrations as they were before branches.
    fs.cpSync(migrationsDir, before, { recursive: true, filter: (src) => !src.includes(MIGRATION!) });
    if (kind === 'pglite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-chat-branches-db-'));
      connection = await connectPglite(dir);
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const database = await createEmptyPostgresDatabase();
      connection = connectPostgres(database.url);
      cleanup = database.drop;
    }
    await applyWithEngine(connection.migrations, before);
    prisma = new PrismaClient({ adapter: connection.client });
  }, TIMEOUT);
  afterAll(async () => {
    await prisma?.$disconnect();
    await connection?.close();
    await cleanup?.();
    fs.rmSync(before, { recursive: true, force: true });
  });

  it(
    'keeps every existing conversation as one path, with its latest message as the current leaf',
    async () => {
      const user = randomUUID();
      await prisma.$executeRaw`INSERT INTO "User" (id, email, "passwordHash", "updatedAt") VALUES (${user}::uuid, ${`${user}@example.com`}, 'x', now())`;
      // Two conversations written interleaved (seq is global), one empty, with an edit-era gap in seq.
      const [one, two, empty] = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of [one, two, empty]) {
        await prisma.$executeRaw`INSERT INTO "Conversation" (id, "userId", model, "updatedAt") VALUES (${id}::uuid, ${user}::uuid, 'auto', now())`;
      }
      const written: Record<string, string[]> = { [one]: [], [two]: [] };
      for (let i = 0; i < 6; i++) {
        for (const conversation of [one, two]) {
          if (conversation === two && i >= 4) continue;
          const id = `m-${conversation.slice(0, 4)}-${i}`;
          const role = i % 2 === 0 ? 'user' : 'assistant';
          await prisma.$executeRaw`INSERT INTO "Message" (id, "conversationId", role, parts, "updatedAt")
            VALUES (${id}, ${conversation}::uuid, ${role}::"MessageRole", '[]'::jsonb, now())`;
          written[conversation]!.push(id);
        }
        if (i === 2) await prisma.$executeRaw`SELECT nextval(pg_get_serial_sequence('"Message"', 'seq'))`;
      }

      expect(await applyWithEngine(connection.migrations, migrationsDir)).toEqual([MIGRATION]);

      for (const conversation of [one, two]) {
        const rows = await prisma.$queryRaw<Array<{ id: string; parentId: string | null }>>`
          SELECT id, "parentId" FROM "Message" WHERE "conversationId" = ${conversation}::uuid ORDER BY seq`;
        const ids = written[conversation]!;
        expect(rows.map((r) => r.id)).toEqual(ids);
        expect(rows.map((r) => r.parentId)).toEqual([null, ...ids.slice(0, -1)]);
        const [leaf] = await prisma.$queryRaw<Array<{ leafId: string | null }>>`SELECT "leafId" FROM "Conversation" WHERE id = ${conversation}::uuid`;
        expect(leaf?.leafId).toBe(ids.at(-1));
      }
      const [none] = await prisma.$queryRaw<Array<{ leafId: string | null }>>`SELECT "leafId" FROM "Conversation" WHERE id = ${empty}::uuid`;
      expect(none?.leafId).toBeNull();
    },
    TIMEOUT,
  );
});
