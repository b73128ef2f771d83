// Full-text search over the user's own messages (not only titles). One statement, the same on PGlite and
// PostgreSQL, served by the GIN index "Message_search_idx" on the stored column "searchVector", which
// PostgreSQL generates from kimi_search_vector(parts) (migration search_pin_archive_share): the 'simple' configuration (no stemming, no stop words, one rule for
// every language) over the message's text parts, with CJK characters split one per word so a Chinese or
// Japanese query is a phrase of consecutive characters. Each term also matches as a prefix.
// Server-only through lib/db (no 'server-only' import, so the benchmark can run it under plain Node).
import { db } from '@/lib/db';
import { searchTerms, snippet } from './search-query';
import type { SearchHit, SearchResults } from './search-types';

export const SEARCH_LIMIT = 30;

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
  const rows = await prisma.$queryRaw<Row[]>`
    WITH terms AS (
      SELECT phraseto_tsquery('simple'::regconfig, kimi_search_split(t))::text AS q FROM unnest(${terms}::text[]) AS t
    ), query AS (
      SELECT string_agg('(' || q || ':*)', ' & ')::tsquery AS q FROM terms WHERE q <> ''
    )
    SELECT m.id, m."conversationId", c.title, m.role::text AS role, m."createdAt", kimi_message_text(m.parts) AS body
    FROM query
    JOIN "Message" m ON m."searchVector" @@ query.q
    JOIN "Conversation" c ON c.id = m."conversationId"
    WHERE c."userId" = ${userId}::uuid AND c."deletedAt" IS NULL
    ORDER BY m."createdAt" DESC, m.id
    LIMIT ${limit}`;
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
