-- CreateTable
CREATE TABLE "RecurringJobRun" (
    "name" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "lastRunBy" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RecurringJobRun_pkey" PRIMARY KEY ("name")
);
