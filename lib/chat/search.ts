// Full-text search over the user's own messages (not only titles). One statement, the same on PGlite and
// PostgreSQL, over the stored column "searchVector", which PostgreSQL generates from kimi_search_vector(parts)
// (migration search_pin_archive_share): the 'simple' configuration (no stemming, no stop words, one rule for
// every language) over the message's text parts, with CJK characters split one per word so a Chinese or
// Japanese query is a phrase of consecutive characters. Each term also matches as a prefix. Indexes: GIN
// "Message_search_idx" on the vector, and ("userId", "createdAt" DESC, id) on the owner a trigger copies onto
// each message (migration search_newest_first).
// Server-only through lib/db (no 'server-only' import, so the benchmark can run it under plain Node).
import { db } from '@/lib/db';
import { searchTerms, snippet } from './search-query';
import type { SearchHit, SearchResults } from './search-types';

export const SEARCH_LIMIT = 30;
/** How many of the user's newest messages the first way reads before it gives way to the GIN index. */
const RECENT_WINDOW = 1000;

interface Row {
  id: string;
  conversationId: string;
  title: string;
  role: 'user' | 'assistant';
  createdAt: Date;
  body: string;
}

/** Messages of the user's conversations (not deleted) whose text has every term, newest first. */
export async function searchMessages(userId: string, query: string, limit = SEARCH_LIMIT): Promise<SearchResults> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { hits: [] };
  const prisma = await db();
  // Each term becomes a phrase (CJK: one lexeme per character) by PostgreSQL's own parser, so the query is
  // split exactly as the stored text was; the last lexeme of each also matches as a prefix.
  // Two ways to the newest matches, chosen by the first: `recent` walks the user's newest RECENT_WINDOW
  // messages by the index ("userId", "createdAt" DESC) and stops at the page (a word in many messages is
  // found in a few dozen rows); only if that window holds less than a page does `matches` take every match
  // from the GIN index and sort them (a rare word: few matches). The GIN index is not asked for a common word,
  // whose posting list alone costs hundreds of milliseconds to read. `matches` is MATERIALIZED so the planner
  // cannot turn it back into an unbounded walk of the date index. The text is read for the page only.
  const rows = await prisma.$queryRaw<Row[]>`
    WITH terms AS (
      SELECT phraseto_tsquery('simple'::regconfig, kimi_search_split(t))::text AS q FROM unnest(${terms}::text[]) AS t
    ), query AS (
      SELECT string_agg('(' || q || ':*)', ' & ')::tsquery AS q FROM terms WHERE q <> ''
    ), recent AS MATERIALIZED (
      SELECT w.id, w."createdAt" FROM (
        SELECT m.id, m."createdAt", m."conversationId", m."searchVector" FROM "Message" m
        WHERE m."userId" = ${userId}::uuid ORDER BY m."createdAt" DESC, m.id LIMIT ${RECENT_WINDOW}
      ) w JOIN "Conversation" c ON c.id = w."conversationId" AND c."deletedAt" IS NULL
      WHERE w."searchVector" @@ (SELECT q FROM query)
      ORDER BY w."createdAt" DESC, w.id LIMIT ${limit}
    ), matches AS MATERIALIZED (
      SELECT m.id, m."createdAt" FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" AND c."deletedAt" IS NULL
      WHERE (SELECT count(*) FROM recent) < ${limit} AND m."userId" = ${userId}::uuid AND m."searchVector" @@ (SELECT q FROM query)
    ), page AS (
      SELECT id, "createdAt" FROM recent WHERE (SELECT count(*) FROM recent) = ${limit}
      UNION ALL
      (SELECT id, "createdAt" FROM matches ORDER BY "createdAt" DESC, id LIMIT ${limit})
    )
    SELECT m.id, m."conversationId", c.title, m.role::text AS role, m."createdAt", kimi_message_text(m.parts) AS body
    FROM page JOIN "Message" m ON m.id = page.id JOIN "Conversation" c ON c.id = m."conversationId"
    ORDER BY page."createdAt" DESC, page.id`;
  const hits: SearchHit[] = rows.map((r) => ({
    messageId: r.id,
    conversationId: r.conversationId,
    title: r.title,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    snippet: snippet(r.body, terms),
  }));
  return { hits };
}
