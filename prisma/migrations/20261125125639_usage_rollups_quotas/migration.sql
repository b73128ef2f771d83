-- DropIndex
DROP INDEX "Usage_conversationId_idx";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "monthlyCostLimit" DECIMAL(20,10),
ADD COLUMN     "monthlyTokenLimit" INTEGER;

-- CreateTable
CREATE TABLE "UsageDaily" (
    "day" DATE NOT NULL,
    "userId" UUID NOT NULL,
    "currency" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "cachedTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "reasoningTokens" BIGINT NOT NULL,
    "cost" DECIMAL(24,10) NOT NULL,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("userId","day","currency")
);

-- CreateTable
CREATE TABLE "UsageDailyModel" (
    "day" DATE NOT NULL,
    "servedModel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "cachedTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "reasoningTokens" BIGINT NOT NULL,
    "cost" DECIMAL(24,10) NOT NULL,
    "ttftBuckets" INTEGER[],

    CONSTRAINT "UsageDailyModel_pkey" PRIMARY KEY ("day","servedModel","purpose","currency")
);

-- CreateIndex
CREATE INDEX "UsageDaily_day_idx" ON "UsageDaily"("day");

-- CreateIndex
CREATE INDEX "Usage_conversationId_createdAt_idx" ON "Usage"("conversationId", "createdAt");
