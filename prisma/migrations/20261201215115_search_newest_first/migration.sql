-- Message search, newest first without sorting every match (lib/chat/search.ts): each message carries its
-- conversation's owner, so a search can walk one user's messages by ("userId", "createdAt" DESC).
-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "userId" UUID;

-- Written by hand (a trigger is not expressible in schema.prisma). The owner is copied from the conversation
-- on every insert, whatever the writer sent, so no code path can leave it empty or name another user.
-- @prisma/adapter-pg splits scripts on semicolons, so the PL/pgSQL body spells them \073 in an E'' string.
CREATE FUNCTION kimi_message_owner() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  NEW."userId" := (SELECT c."userId" FROM "Conversation" c WHERE c.id = NEW."conversationId")\073
  RETURN NEW\073
END';

CREATE TRIGGER "Message_owner" BEFORE INSERT OR UPDATE OF "conversationId", "userId" ON "Message"
FOR EACH ROW EXECUTE FUNCTION kimi_message_owner();

-- Messages written before this migration.
UPDATE "Message" m SET "conversationId" = m."conversationId";

-- CreateIndex
CREATE INDEX "Message_userId_createdAt_id_idx" ON "Message"("userId", "createdAt" DESC, "id");
