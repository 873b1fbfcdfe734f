-- Progress heartbeat of an import: a commit whose row has not been updated
-- for a while was cut off (the app instance running it stopped) and may be
-- started again.
ALTER TABLE "EnrolmentImport" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
