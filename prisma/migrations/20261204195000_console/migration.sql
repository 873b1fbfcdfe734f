-- The agent console: reply templates, contact-reason tags, internal notes with
-- mentions, per-tier service targets, identity checks and holds.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "contactReasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "holdAgentId" TEXT,
ADD COLUMN     "holdUntil" TIMESTAMP(3),
ADD COLUMN     "identityCheckedAt" TIMESTAMP(3),
ADD COLUMN     "identityCheckedById" TEXT;

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "authenticatesCustomer" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ReplyTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "disclosesBooking" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReplyTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactReason" (
    "id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceTarget" (
    "tier" INTEGER NOT NULL,
    "firstResponseMinutes" INTEGER NOT NULL,
    "resolutionMinutes" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceTarget_pkey" PRIMARY KEY ("tier")
);

-- CreateTable
CREATE TABLE "CaseNote" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoteMention" (
    "noteId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NoteMention_pkey" PRIMARY KEY ("noteId","userId")
);

-- CreateIndex
CREATE INDEX "ReplyTemplate_language_active_idx" ON "ReplyTemplate"("language", "active");

-- CreateIndex
CREATE UNIQUE INDEX "ReplyTemplate_name_language_key" ON "ReplyTemplate"("name", "language");

-- CreateIndex
CREATE INDEX "CaseNote_caseId_createdAt_idx" ON "CaseNote"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "NoteMention_userId_readAt_idx" ON "NoteMention"("userId", "readAt");

-- AddForeignKey
ALTER TABLE "CaseNote" ADD CONSTRAINT "CaseNote_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseNote" ADD CONSTRAINT "CaseNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoteMention" ADD CONSTRAINT "NoteMention_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "CaseNote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoteMention" ADD CONSTRAINT "NoteMention_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Reference data every database needs (not the demo seed): the service
-- targets of the eight priority tiers, and a starting list of contact reasons.
INSERT INTO "ServiceTarget" ("tier", "firstResponseMinutes", "resolutionMinutes") VALUES
  (1, 15, 240), (2, 30, 480), (3, 60, 720), (4, 120, 1440),
  (5, 240, 1440), (6, 480, 2880), (7, 720, 4320), (8, 1440, 4320)
ON CONFLICT ("tier") DO NOTHING;

INSERT INTO "ContactReason" ("id", "label") VALUES
  ('rebooking', 'Rebooking'),
  ('refund', 'Refund'),
  ('voucher', 'Voucher'),
  ('baggage', 'Baggage'),
  ('compensation', 'Compensation claim'),
  ('flight-status', 'Flight status'),
  ('special-assistance', 'Special assistance'),
  ('booking-change', 'Other booking change'),
  ('information', 'General information'),
  ('other', 'Other')
ON CONFLICT ("id") DO NOTHING;

-- Cases already waiting get due times from their tier.
UPDATE "Case" c SET
  "firstResponseDueAt" = c."receivedAt" + make_interval(mins => t."firstResponseMinutes"),
  "resolutionDueAt" = c."receivedAt" + make_interval(mins => t."resolutionMinutes")
FROM "ServiceTarget" t
WHERE t.tier = c."priorityTier" AND c."firstResponseDueAt" IS NULL AND c.status IN ('open', 'assigned', 'on_hold', 'escalated');
