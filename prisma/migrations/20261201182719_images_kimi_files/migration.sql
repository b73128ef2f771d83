-- CreateTable
CREATE TABLE "KimiImageFile" (
    "sha256" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KimiImageFile_pkey" PRIMARY KEY ("sha256","account")
);
