-- CreateTable
CREATE TABLE "UserPreference" (
    "userId" UUID NOT NULL,
    "customInstructions" TEXT NOT NULL DEFAULT '',
    "defaultModel" TEXT,
    "theme" TEXT NOT NULL DEFAULT 'system',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserPreference_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "UserPreference" ADD CONSTRAINT "UserPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
