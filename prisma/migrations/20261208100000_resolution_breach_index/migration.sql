-- The due-time upkeep (app/console/service-levels.server.ts) looks for
-- cases past their resolution due time, not resolved and not yet recorded as
-- breached, every 15 seconds. With no index on that due time it read the
-- whole case table each time: 190 ms of a core on 240,000 cases (the routing
-- bench), during which "Next case" answered in 20 to 90 ms instead of 5. This
-- index holds only those cases (the query's conditions imply its own), so a
-- resolution or a recorded breach takes a case out of it.
CREATE INDEX "Case_resolutionDueAt_idx" ON "Case"("resolutionDueAt")
WHERE "resolutionDueAt" IS NOT NULL AND "resolvedAt" IS NULL AND "resolutionBreachedAt" IS NULL;

-- "Next case" runs on generic plans, made once per connection from the
-- statistics of that moment and kept. Every statement in it reads a few rows
-- along an index, so scans of whole tables and bitmap scans are priced out:
-- a plan made while the queues were nearly empty (a fresh database, the
-- first minutes of a surge) cannot sort every waiting case to find the
-- first few once 200,000 wait. (Seen with a queue table that had never been
-- analysed: the dequeue fell from 3,500 to 110 a second.)
ALTER FUNCTION surge_next_cases(jsonb, timestamp(3), text[]) SET enable_seqscan = off;
ALTER FUNCTION surge_next_cases(jsonb, timestamp(3), text[]) SET enable_bitmapscan = off;
