-- The whole queue in the order of "Next case" (tier, then oldest, then id),
-- for the case list, the holding replies and the fallback of the dequeue.
DROP INDEX "Case_status_priorityTier_receivedAt_idx";
CREATE INDEX "Case_status_priorityTier_receivedAt_id_idx" ON "Case"("status", "priorityTier", "receivedAt", "id");

-- The same order per channel, language and complexity: "Next case" reads the
-- head of each of these small queues that the agent may take, so cases the
-- agent cannot take (a language nobody online speaks) never slow it down.
DROP INDEX "Case_channelId_language_status_idx";
CREATE INDEX "Case_channelId_language_complexity_status_priorityTier_rece_idx" ON "Case"("channelId", "language", "complexity", "status", "priorityTier", "receivedAt", "id");

-- Threading finds open cases of a customer through the customer index: one
-- random-order index less to update on every intake and priority change.
DROP INDEX "Case_threadKey_status_idx";

-- "Next case" for a batch of agents in one round trip and one commit.
-- requests: [{"agent": id, "channels": [...], "languages": [...], "complexities": [...]}]
-- (channels: the agent's channel skills, languages and complexities: what
-- they may take). For each agent, in a fixed order (by lock key, so two
-- batches never wait on each other in a cycle):
--   * an advisory lock on the agent, so two app instances cannot both fill
--     the agent's last free slot,
--   * the channels where the agent holds fewer cases than the channel allows,
--   * the most urgent open case on those channels in their languages, locked
--     with SKIP LOCKED (never waits, never taken twice), assigned, and an
--     "assigned" event written.
-- Returns one row per request, case_id null when nothing was taken.
CREATE FUNCTION surge_next_cases(requests jsonb, at_time timestamp(3))
RETURNS TABLE (agent_id text, case_id text, case_number integer)
LANGUAGE plpgsql AS $$
DECLARE
  request jsonb;
  free_channels text[];
  wanted_languages text[];
  wanted_complexities "CaseComplexity"[];
  candidate text;
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
    LEFT JOIN (
      SELECT held."channelId", count(*) AS n
      FROM "Case" held
      WHERE held."assigneeId" = agent_id AND held.status IN ('assigned', 'on_hold')
      GROUP BY held."channelId"
    ) h ON h."channelId" = ch.id
    WHERE ch.id IN (SELECT jsonb_array_elements_text(request->'channels'))
      AND ch.active
      AND coalesce(h.n, 0) < ch."maxConcurrentPerAgent";
    IF free_channels IS NOT NULL THEN
      wanted_languages := ARRAY(SELECT jsonb_array_elements_text(request->'languages'));
      wanted_complexities := ARRAY(SELECT jsonb_array_elements_text(request->'complexities'))::"CaseComplexity"[];
      -- Most of the time one of the most urgent open cases of all is one the
      -- agent may take: look at the first 32 of the whole queue first.
      FOR candidate IN
        SELECT head.id
        FROM (
          SELECT c.id, c."channelId", c.language, c.complexity, c."priorityTier", c."receivedAt"
          FROM "Case" c
          WHERE c.status = 'open'
          ORDER BY c.status, c."priorityTier", c."receivedAt", c.id
          LIMIT 32
        ) AS head
        WHERE head."channelId" = ANY(free_channels)
          AND head.language = ANY(wanted_languages)
          AND head.complexity = ANY(wanted_complexities)
        ORDER BY head."priorityTier", head."receivedAt", head.id
      LOOP
        SELECT c.id INTO case_id FROM "Case" c WHERE c.id = candidate AND c.status = 'open' FOR UPDATE SKIP LOCKED;
        EXIT WHEN case_id IS NOT NULL;
      END LOOP;
      IF case_id IS NULL THEN
        -- The head of each queue the agent may take (one per channel, language
        -- and complexity), most urgent first, read without locks: cases the
        -- agent cannot take, however many, are never looked at. Another batch
        -- may be taking the same heads right now, so each is tried with SKIP
        -- LOCKED and the first still open is taken.
        FOR candidate IN
          SELECT head.id
          FROM unnest(free_channels) AS channel_id
          CROSS JOIN unnest(wanted_languages) AS lang
          CROSS JOIN unnest(wanted_complexities) AS cx
          CROSS JOIN LATERAL (
            SELECT c.id, c."priorityTier", c."receivedAt"
            FROM "Case" c
            WHERE c."channelId" = channel_id AND c.language = lang AND c.complexity = cx AND c.status = 'open'
            ORDER BY c."priorityTier", c."receivedAt", c.id
            LIMIT 1
          ) AS head
          ORDER BY head."priorityTier", head."receivedAt", head.id
          LIMIT 6
        LOOP
          SELECT c.id INTO case_id FROM "Case" c WHERE c.id = candidate AND c.status = 'open' FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;
      -- Every head was taken meanwhile (rare): one ordered scan past the locked rows.
      IF case_id IS NULL THEN
        SELECT c.id INTO case_id
        FROM "Case" c
        WHERE c.status = 'open'
          AND c."channelId" = ANY(free_channels)
          AND c.language = ANY(wanted_languages)
          AND c.complexity = ANY(wanted_complexities)
        ORDER BY c.status, c."priorityTier", c."receivedAt", c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED;
      END IF;
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
