-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "reasoningEffort" TEXT,
ADD COLUMN     "thinking" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "cutReason" TEXT;
