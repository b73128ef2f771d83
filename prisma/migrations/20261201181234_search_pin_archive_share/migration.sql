-- CreateEnum
CREATE TYPE "ShareVisibility" AS ENUM ('link', 'users');

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "archivedAt" TIMESTAMPTZ(3),
ADD COLUMN     "pinnedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Share" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "messages" JSONB NOT NULL,
    "visibility" "ShareVisibility" NOT NULL DEFAULT 'link',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Share_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Share_userId_createdAt_idx" ON "Share"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Share_conversationId_idx" ON "Share"("conversationId");

-- AddForeignKey
ALTER TABLE "Share" ADD CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Share" ADD CONSTRAINT "Share_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search over message text (lib/chat/search.ts). Not expressible in schema.prisma, so written here by hand.
-- No semicolon may appear but at the end of a statement: @prisma/adapter-pg splits scripts on it.
-- kimi_message_text: the text parts of a message (AI SDK UI parts), joined.
CREATE FUNCTION kimi_message_text(parts jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT coalesce(string_agg(p->>'text', E'\n'), '')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(parts) = 'array' THEN parts ELSE '[]'::jsonb END) AS p
  WHERE p->>'type' = 'text'
$$;

-- kimi_search_split: CJK text has no spaces between words, so every Han, kana and Hangul character becomes a
-- word of its own (a query is then a phrase of consecutive characters). CJK punctuation becomes a space, so
-- every server locale splits it the same way.
CREATE FUNCTION kimi_search_split(body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT regexp_replace(
    regexp_replace(body, '[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]', ' ', 'g'),
    '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])', ' \1 ', 'g')
$$;

-- The searchable form of a message: the 'simple' configuration (no stemming, no stop words: one rule for
-- every language).
CREATE FUNCTION kimi_search_vector(parts jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT to_tsvector('simple'::regconfig, kimi_search_split(kimi_message_text(parts)))
$$;

-- Stored, so a search reads the vector instead of recomputing it for every candidate row.
ALTER TABLE "Message" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (kimi_search_vector(parts)) STORED;

CREATE INDEX "Message_search_idx" ON "Message" USING GIN ("searchVector");
