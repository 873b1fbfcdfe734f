-- The queue index in the exact order of "Next case" (tier, then oldest, then
-- id), so the dequeue reads the queue in order and stops at the first match.
DROP INDEX "Case_status_priorityTier_receivedAt_idx";
CREATE INDEX "Case_status_priorityTier_receivedAt_id_idx" ON "Case"("status", "priorityTier", "receivedAt", "id");

-- "Next case" for a batch of agents in one round trip and one commit.
-- requests: [{"agent": id, "channels": [...], "languages": [...], "complexities": [...]}]
-- (channels: the channel skills of the agent, languages and complexities:
-- what they may take). For each agent, in a fixed order (by lock key, so two
-- batches never wait on each other in a cycle):
--   * an advisory lock on the agent, so two app instances cannot both fill
--     the last free slot of one agent,
--   * the channels where the agent holds fewer cases than the channel allows,
--   * the most urgent open case on those channels in their languages, locked
--     with SKIP LOCKED (never waits, never taken twice), assigned, and an
--     "assigned" event written.
-- (No apostrophes or semicolons in these comments: the migration runner
-- splits the script into statements before sending it.)
-- Returns one row per request, case_id null when nothing was taken.
CREATE FUNCTION surge_next_cases(requests jsonb, at_time timestamp(3))
RETURNS TABLE (agent_id text, case_id text, case_number integer)
LANGUAGE plpgsql AS $$
DECLARE
  request jsonb;
  free_channels text[];
  wanted_languages text[];
  wanted_complexities "CaseComplexity"[];
BEGIN
  FOR request IN
    SELECT value FROM jsonb_array_elements(requests)
    ORDER BY hashtextextended(value->>'agent', 0)
  LOOP
    agent_id := request->>'agent';
    case_id := NULL;
    case_number := NULL;
    PERFORM pg_advisory_xact_lock(hashtextextended(agent_id, 0));
    SELECT array_agg(ch.id) INTO free_channels
    FROM "Channel" ch
    WHERE ch.id IN (SELECT jsonb_array_elements_text(request->'channels'))
      AND ch.active
      AND (SELECT count(*) FROM "Case" held
           WHERE held."assigneeId" = agent_id AND held."channelId" = ch.id
             AND held.status IN ('assigned', 'on_hold')) < ch."maxConcurrentPerAgent";
    IF free_channels IS NOT NULL THEN
      wanted_languages := ARRAY(SELECT jsonb_array_elements_text(request->'languages'));
      wanted_complexities := ARRAY(SELECT jsonb_array_elements_text(request->'complexities'))::"CaseComplexity"[];
      SELECT c.id INTO case_id
      FROM "Case" c
      WHERE c.status = 'open'
        AND c."channelId" = ANY(free_channels)
        AND c.language = ANY(wanted_languages)
        AND c.complexity = ANY(wanted_complexities)
      ORDER BY c.status, c."priorityTier", c."receivedAt", c.id
      LIMIT 1
      FOR UPDATE SKIP LOCKED;
      IF case_id IS NOT NULL THEN
        UPDATE "Case"
        SET status = 'assigned', "assigneeId" = agent_id, "assignedAt" = at_time, "updatedAt" = at_time
        WHERE id = case_id
        RETURNING number INTO case_number;
        INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
        VALUES ('e' || replace(gen_random_uuid()::text, '-', ''), case_id, 'assigned', agent_id,
                jsonb_build_object('to', agent_id, 'via', 'next_case'), at_time);
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END;
$$;
