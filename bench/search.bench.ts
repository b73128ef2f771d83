// Full-text message search at 100,000 messages (issue 12): the server time of searchMessages (the SQL
// through Prisma, plus snippets) for a rare word, a common word, a Chinese phrase, a two-word query and two
// common words that never meet, p50 over 20 runs, on PGlite and on a throwaway database of the local
// PostgreSQL. Baselines from the same run: today's title-only search of the sidebar (listConversations with
// q) and a LIKE scan of the same text.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetConfigForProcess } from '../lib/config';
import { closeDb, db, type PrismaClient } from '../lib/db';
import { withAdmin } from '../tests/support/postgres';
import { timedP50 } from './stats';
import type { BenchResult } from './types';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 100_000);
const CONVERSATIONS = MESSAGES / 100;
const RUNS = 20;

/**
 * One user with MESSAGES messages in CONVERSATIONS conversations, and as many of another user's (which
 * must never be found). Text: 30 words from a 400-word English vocabulary or a Chinese sentence; "quokka"
 * in every 1,000th message, "西湖" in every 500th.
 */
async function seed(prisma: PrismaClient): Promise<string> {
  const users = await Promise.all(
    ['search-bench@example.com', 'other-bench@example.com'].map((email) =>
      prisma.user.create({ data: { email, passwordHash: 'x' }, select: { id: true } }),
    ),
  );
  for (const user of users) {
    await prisma.$executeRaw`
      INSERT INTO "Conversation" (id, "userId", title, model, "updatedAt")
      SELECT gen_random_uuid(), ${user.id}::uuid, 'Conversation ' || g, 'kimi-k2.6', now() - g * interval '1 minute'
      FROM generate_series(1, ${CONVERSATIONS}::int) AS g`;
    await prisma.$executeRaw`
      WITH convs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM "Conversation" WHERE "userId" = ${user.id}::uuid),
      vocab AS (SELECT array_agg('word' || w) AS words FROM generate_series(1, 400) AS w)
      INSERT INTO "Message" (id, "conversationId", role, parts, "createdAt", "updatedAt")
      SELECT 'bench-' || ${user.id} || '-' || g, c.id, CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END::"MessageRole",
        jsonb_build_array(jsonb_build_object('type', 'text', 'text',
          CASE WHEN g % 7 = 0 THEN '我们在杭州讨论了很多问题，包括天气、交通和美食。' || CASE WHEN g % 500 = 0 THEN '周末去西湖散步。' ELSE '' END
          ELSE array_to_string(ARRAY(SELECT vocab.words[1 + ((g * 7919 + k * 104729) % 400)] FROM generate_series(1, 30) AS k), ' ')
               || CASE WHEN g % 1000 = 0 THEN ' quokka' ELSE '' END || ' common'
          END)),
        now() - g * interval '1 second', now()
      FROM generate_series(1, ${MESSAGES}::int) AS g CROSS JOIN vocab
      JOIN convs c ON c.n = g % ${CONVERSATIONS}::int`;
  }
  await prisma.$executeRawUnsafe('ANALYZE');
  return users[0]!.id;
}

async function measure(kind: 'pglite' | 'postgres', prisma: PrismaClient): Promise<Record<string, number>> {
  const { searchMessages } = await import('../lib/chat/search');
  const t0 = performance.now();
  const userId = await seed(prisma);
  const seedSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  const hits = async (q: string) => (await searchMessages(userId, q)).hits.length;
  const counts = { rare: await hits('quokka'), common: await hits('common'), chinese: await hits('西湖'), two: await hits('word7 word13') };
  if (Object.values(counts).some((n) => n === 0)) throw new Error(`search found nothing: ${JSON.stringify(counts)}`);
  if ((await hits('word398 word399')) !== 0) throw new Error('word398 and word399 were expected never to meet');
  return {
    [`${kind}_seed_s`]: seedSeconds,
    [`${kind}_fts_rare_ms`]: await timedP50(RUNS, () => searchMessages(userId, 'quokka')),
    [`${kind}_fts_common_ms`]: await timedP50(RUNS, () => searchMessages(userId, 'common')),
    [`${kind}_fts_chinese_ms`]: await timedP50(RUNS, () => searchMessages(userId, '西湖')),
    [`${kind}_fts_two_words_ms`]: await timedP50(RUNS, () => searchMessages(userId, 'word7 word13')),
    // Two words each in thousands of messages but never in the same one: nothing to find.
    [`${kind}_fts_never_together_ms`]: await timedP50(RUNS, () => searchMessages(userId, 'word398 word399')),
    // Today's sidebar search: listConversations' query with `q` (titles only, case-insensitive), first page.
    [`${kind}_baseline_title_search_ms`]: await timedP50(RUNS, () =>
      prisma.conversation.findMany({
        where: { userId, deletedAt: null, archivedAt: null, title: { contains: 'quokka', mode: 'insensitive' } },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        take: 31,
        select: { id: true, title: true, model: true, updatedAt: true, pinnedAt: true, archivedAt: true },
      }),
    ),
    [`${kind}_baseline_like_scan_ms`]: await timedP50(
      RUNS,
      () => prisma.$queryRaw`SELECT m.id FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
        WHERE c."userId" = ${userId}::uuid AND c."deletedAt" IS NULL AND kimi_message_text(m.parts) ILIKE '%quokka%'
        ORDER BY m."createdAt" DESC LIMIT 30`,
    ),
  };
}

/** The process's own database (lib/db's db(), which searchMessages uses) on these settings. */
async function openAs(env: Record<string, string | undefined>): Promise<PrismaClient> {
  await closeDb();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForProcess();
  return db();
}

export async function benchSearch(): Promise<BenchResult> {
  const metrics: Record<string, number> = {};
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kimi-search-bench-'));
  try {
    Object.assign(metrics, await measure('pglite', await openAs({ DATABASE_URL: undefined, DATA_DIR: dataDir })));
  } finally {
    await closeDb();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const name = `kimi_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`), ADMIN_URL);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    Object.assign(metrics, await measure('postgres', await openAs({ DATABASE_URL: url.toString() })));
  } finally {
    await closeDb();
    await withAdmin((c) => c.query(`DROP DATABASE "${name}"`), ADMIN_URL);
  }
  return {
    name: `Full-text search over ${MESSAGES.toLocaleString('en')} messages of one user (+ as many of another's)`,
    metrics,
    notes: 'p50 of 20 runs of searchMessages (SQL + snippets), target ≤ 100 ms; baselines: the title-only search and a LIKE scan',
  };
}
