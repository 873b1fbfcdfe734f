-- CreateEnum
CREATE TYPE "EnrolmentImportRowStatus" AS ENUM ('valid', 'will_update', 'unchanged', 'duplicate_in_file', 'error', 'conflict');

-- CreateTable
CREATE TABLE "EnrolmentImportUpload" (
    "importId" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnrolmentImportUpload_pkey" PRIMARY KEY ("importId")
);

-- CreateTable
CREATE TABLE "EnrolmentImportRow" (
    "importId" TEXT NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "status" "EnrolmentImportRowStatus" NOT NULL,
    "cells" JSONB NOT NULL,
    "data" JSONB,
    "errors" JSONB,
    "volunteerId" TEXT,
    "changes" TEXT[],
    "duplicateOfRow" INTEGER,

    CONSTRAINT "EnrolmentImportRow_pkey" PRIMARY KEY ("importId","rowNumber")
);

-- CreateIndex
CREATE INDEX "EnrolmentImportRow_importId_status_rowNumber_idx" ON "EnrolmentImportRow"("importId", "status", "rowNumber");

-- AddForeignKey
ALTER TABLE "EnrolmentImportUpload" ADD CONSTRAINT "EnrolmentImportUpload_importId_fkey" FOREIGN KEY ("importId") REFERENCES "EnrolmentImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrolmentImportRow" ADD CONSTRAINT "EnrolmentImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "EnrolmentImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
