-- Escalation (issue 15): tiers, reasons, the expert's outcome and advice, help questions.

-- CreateEnum
CREATE TYPE "EscalationOutcome" AS ENUM ('resolved', 'handed_back', 'reclassified', 'escalated_further', 'withdrawn');

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "escalationLevel" INTEGER NOT NULL DEFAULT 0;

-- The expert column keeps its data: renamed, not dropped.
ALTER TABLE "Escalation" RENAME COLUMN "takenById" TO "expertId";
ALTER TABLE "Escalation" RENAME CONSTRAINT "Escalation_takenById_fkey" TO "Escalation_expertId_fkey";

-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "advice" TEXT,
ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "fromLevel" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "gestureAmount" INTEGER,
ADD COLUMN     "gestureType" "GestureType",
ADD COLUMN     "note" TEXT,
ADD COLUMN     "outcome" "EscalationOutcome",
ADD COLUMN     "reasonCode" TEXT NOT NULL DEFAULT 'other',
ADD COLUMN     "takenAt" TIMESTAMP(3),
ADD COLUMN     "toLevel" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "EscalationLevel" (
    "level" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "roles" "Role"[],
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EscalationLevel_pkey" PRIMARY KEY ("level")
);

-- CreateTable
CREATE TABLE "EscalationReason" (
    "id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "trainingModuleId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EscalationReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpQuestion" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "askedById" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answeredById" TEXT,
    "answerNoteId" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HelpQuestion_answeredAt_createdAt_idx" ON "HelpQuestion"("answeredAt", "createdAt");

-- CreateIndex
CREATE INDEX "HelpQuestion_caseId_createdAt_idx" ON "HelpQuestion"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "Escalation_raisedById_createdAt_idx" ON "Escalation"("raisedById", "createdAt");

-- AddForeignKey
ALTER TABLE "HelpQuestion" ADD CONSTRAINT "HelpQuestion_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpQuestion" ADD CONSTRAINT "HelpQuestion_askedById_fkey" FOREIGN KEY ("askedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpQuestion" ADD CONSTRAINT "HelpQuestion_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Reference data every installation needs (a supervisor edits it afterwards).
INSERT INTO "EscalationLevel" ("level", "name", "roles") VALUES
  (1, 'Experienced agents', ARRAY['agent']::"Role"[]),
  (2, 'Supervisors', ARRAY['supervisor']::"Role"[])
ON CONFLICT DO NOTHING;

INSERT INTO "EscalationReason" ("id", "label", "trainingModuleId", "position") VALUES
  ('complex_rebooking', 'Complex rebooking', 'rebooking-basics', 1),
  ('compensation_above_limit', 'Compensation above my limit', 'refunds-and-vouchers', 2),
  ('angry_or_vulnerable', 'Angry or vulnerable customer', 'written-tone', 3),
  ('legal', 'Legal', NULL, 4),
  ('unsure', 'Unsure', 'case-lifecycle', 5),
  ('other', 'Other', NULL, 6)
ON CONFLICT DO NOTHING;

-- Cases already escalated wait at the first level; escalations raised for a
-- refused gesture were about compensation.
UPDATE "Case" SET "escalationLevel" = 1 WHERE status = 'escalated';
UPDATE "Escalation" SET "reasonCode" = 'compensation_above_limit' WHERE reason LIKE 'Gesture above my limit%';
UPDATE "Escalation" SET status = 'resolved', outcome = 'withdrawn', "resolvedAt" = coalesce("resolvedAt", CURRENT_TIMESTAMP)
  WHERE status <> 'resolved' AND "caseId" IN (SELECT id FROM "Case" WHERE status <> 'escalated');
