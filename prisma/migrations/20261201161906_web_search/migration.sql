-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "webSearch" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Usage" ADD COLUMN     "webSearches" INTEGER NOT NULL DEFAULT 0;
