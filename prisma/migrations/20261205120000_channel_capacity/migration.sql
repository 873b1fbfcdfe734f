-- CreateEnum
CREATE TYPE "CapacityMetric" AS ENUM ('backlog', 'oldest_wait', 'service_level');

-- CreateTable
CREATE TABLE "CapacityHour" (
    "hour" TIMESTAMP(3) NOT NULL,
    "channelId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "arrivals" INTEGER NOT NULL DEFAULT 0,
    "deflected" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "handled" INTEGER NOT NULL DEFAULT 0,
    "handleSeconds" INTEGER NOT NULL DEFAULT 0,
    "closed" INTEGER NOT NULL DEFAULT 0,
    "firstResponseMet" INTEGER NOT NULL DEFAULT 0,
    "firstResponseMissed" INTEGER NOT NULL DEFAULT 0,
    "agentsOnline" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CapacityHour_pkey" PRIMARY KEY ("hour","channelId","language")
);

-- CreateTable
CREATE TABLE "CapacityRollupHour" (
    "hour" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CapacityRollupHour_pkey" PRIMARY KEY ("hour")
);

-- CreateTable
CREATE TABLE "CapacityThreshold" (
    "id" TEXT NOT NULL,
    "metric" "CapacityMetric" NOT NULL,
    "channelId" TEXT,
    "language" TEXT,
    "value" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "CapacityThreshold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CapacityAlert" (
    "id" TEXT NOT NULL,
    "thresholdId" TEXT,
    "metric" "CapacityMetric" NOT NULL,
    "channelId" TEXT,
    "language" TEXT,
    "limit" INTEGER NOT NULL,
    "startValue" DOUBLE PRECISION NOT NULL,
    "worstValue" DOUBLE PRECISION NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "CapacityAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CapacityAlert_endedAt_startedAt_idx" ON "CapacityAlert"("endedAt", "startedAt");

-- CreateIndex
CREATE INDEX "CapacityAlert_thresholdId_endedAt_idx" ON "CapacityAlert"("thresholdId", "endedAt");

-- CreateIndex
CREATE INDEX "Case_status_channelId_language_receivedAt_idx" ON "Case"("status", "channelId", "language", "receivedAt");

-- CreateIndex
CREATE INDEX "Case_receivedAt_idx" ON "Case"("receivedAt");

-- CreateIndex
CREATE INDEX "Case_resolvedAt_idx" ON "Case"("resolvedAt");

-- CreateIndex
CREATE INDEX "Case_closedAt_idx" ON "Case"("closedAt");

-- CreateIndex
CREATE INDEX "Case_firstResponseDueAt_idx" ON "Case"("firstResponseDueAt");

-- AddForeignKey
ALTER TABLE "CapacityAlert" ADD CONSTRAINT "CapacityAlert_thresholdId_fkey" FOREIGN KEY ("thresholdId") REFERENCES "CapacityThreshold"("id") ON DELETE SET NULL ON UPDATE CASCADE;

