-- CreateEnum
CREATE TYPE "EnrolmentImportStatus" AS ENUM ('previewed', 'dry_run', 'committing', 'committed', 'failed');

-- CreateEnum
CREATE TYPE "GestureType" AS ENUM ('miles', 'meal_voucher', 'money', 'fee_waiver');

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "complexityRuleId" TEXT,
ADD COLUMN     "deflectedAt" TIMESTAMP(3),
ADD COLUMN     "holdingReplySentAt" TIMESTAMP(3),
ADD COLUMN     "priorityRecheckAt" TIMESTAMP(3),
ADD COLUMN     "priorityRuleId" TEXT,
ADD COLUMN     "threadKey" TEXT,
ALTER COLUMN "priorityTier" SET DEFAULT 8;

-- CreateTable
CREATE TABLE "EnrolmentImport" (
    "id" TEXT NOT NULL,
    "createdById" TEXT,
    "fileName" TEXT NOT NULL,
    "fileBytes" INTEGER NOT NULL,
    "status" "EnrolmentImportStatus" NOT NULL DEFAULT 'previewed',
    "mode" TEXT,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "EnrolmentImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GestureLimit" (
    "role" "Role" NOT NULL,
    "type" "GestureType" NOT NULL,
    "perCaseLimit" INTEGER NOT NULL,
    "dailyBudget" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "GestureLimit_pkey" PRIMARY KEY ("role","type")
);

-- CreateTable
CREATE TABLE "Gesture" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" "GestureType" NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Gesture_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleSet" (
    "kind" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "RuleSet_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "Integration" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Integration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntakeDelivery" (
    "integrationId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntakeDelivery_pkey" PRIMARY KEY ("integrationId","idempotencyKey")
);

-- CreateTable
CREATE TABLE "AgentPresence" (
    "userId" TEXT NOT NULL,
    "online" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentPresence_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "EnrolmentImport_createdAt_idx" ON "EnrolmentImport"("createdAt");

-- CreateIndex
CREATE INDEX "Gesture_userId_createdAt_idx" ON "Gesture"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Gesture_caseId_idx" ON "Gesture"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_name_key" ON "Integration"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_tokenHash_key" ON "Integration"("tokenHash");

-- CreateIndex
CREATE INDEX "Case_status_priorityRecheckAt_idx" ON "Case"("status", "priorityRecheckAt");

-- CreateIndex
CREATE INDEX "Case_threadKey_status_idx" ON "Case"("threadKey", "status");

-- AddForeignKey
ALTER TABLE "EnrolmentImport" ADD CONSTRAINT "EnrolmentImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gesture" ADD CONSTRAINT "Gesture_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gesture" ADD CONSTRAINT "Gesture_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeDelivery" ADD CONSTRAINT "IntakeDelivery_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeDelivery" ADD CONSTRAINT "IntakeDelivery_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentPresence" ADD CONSTRAINT "AgentPresence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
