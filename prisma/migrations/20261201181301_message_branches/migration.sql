-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "leafId" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "parentId" TEXT;

-- CreateIndex
CREATE INDEX "Message_parentId_idx" ON "Message"("parentId");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every existing conversation becomes one path: each message follows the one before it by order, and the
-- conversation's current leaf is its latest message.
UPDATE "Message" AS m SET "parentId" = p.previous
FROM (SELECT id, lag(id) OVER (PARTITION BY "conversationId" ORDER BY seq) AS previous FROM "Message") AS p
WHERE m.id = p.id AND p.previous IS NOT NULL;

UPDATE "Conversation" AS c SET "leafId" = l.id
FROM (SELECT DISTINCT ON ("conversationId") "conversationId", id FROM "Message" ORDER BY "conversationId", seq DESC) AS l
WHERE c.id = l."conversationId";
