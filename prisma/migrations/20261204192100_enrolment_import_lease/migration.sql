-- A commit of an enrolment import holds a lease that the instance running it
-- renews every few seconds; when it lapses (the instance was killed), another
-- instance takes the commit over.
-- AlterTable
ALTER TABLE "EnrolmentImport" ADD COLUMN     "committedById" TEXT,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "EnrolmentImport_status_leaseUntil_idx" ON "EnrolmentImport"("status", "leaseUntil");

