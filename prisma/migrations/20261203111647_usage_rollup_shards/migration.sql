-- The per-model daily rollup in shards: every chat answer and title of a day added to one row per model and
-- purpose, and each write held that row locked until its commit (a WAL flush), so concurrent saves queued on
-- it and held the pool's connections meanwhile. Rows written so far become shard 0, and readers sum the shards.
-- AlterTable
ALTER TABLE "UsageDailyModel" DROP CONSTRAINT "UsageDailyModel_pkey",
ADD COLUMN     "shard" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "UsageDailyModel_pkey" PRIMARY KEY ("day", "servedModel", "purpose", "currency", "shard");
