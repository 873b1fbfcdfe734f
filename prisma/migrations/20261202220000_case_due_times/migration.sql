-- Service-level clock on each case: due times for the first reply and the
-- resolution, when they happened, and when a due time was breached. The
-- console fills them; the capacity board reads them.
ALTER TABLE "Case" ADD COLUMN "firstResponseDueAt" TIMESTAMP(3),
  ADD COLUMN "resolutionDueAt" TIMESTAMP(3),
  ADD COLUMN "firstRespondedAt" TIMESTAMP(3),
  ADD COLUMN "resolvedAt" TIMESTAMP(3),
  ADD COLUMN "firstResponseBreachedAt" TIMESTAMP(3),
  ADD COLUMN "resolutionBreachedAt" TIMESTAMP(3);
