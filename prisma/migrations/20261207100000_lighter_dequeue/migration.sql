-- Every assignment and every resolution writes a new version of the case
-- row, and with it an entry in each index whose predicate it meets; VACUUM
-- then scans every index of "Case" again. Four indexes served a handful of
-- queries that never look at most rows, so they now hold only those rows
-- (each query's condition implies the predicate, so the planner still picks
-- them; prisma/schema.prisma keeps their plain form, see its note on Case):
-- - resolvedAt, closedAt: ranges of resolution and closure times (the
--   capacity board and rollup); a case that is neither has no entry.
-- - firstResponseDueAt: ranges of due times; a case without one has none.
-- - (status, priorityRecheckAt): open cases with a recheck time only; the
--   lazy re-score reads only open cases that are due, naming the status as
--   a literal (an enum sent as a parameter, as Prisma sends it, is not known
--   when the plan is made and could not match the index's condition).
-- (status, channelId, language, receivedAt) stays whole: queries built by
-- Prisma filter on a status parameter (the supervisor's home, the case
-- list), and only an index without a status condition serves them.
DROP INDEX "Case_resolvedAt_idx";
CREATE INDEX "Case_resolvedAt_idx" ON "Case"("resolvedAt") WHERE "resolvedAt" IS NOT NULL;
DROP INDEX "Case_closedAt_idx";
CREATE INDEX "Case_closedAt_idx" ON "Case"("closedAt") WHERE "closedAt" IS NOT NULL;
DROP INDEX "Case_firstResponseDueAt_idx";
CREATE INDEX "Case_firstResponseDueAt_idx" ON "Case"("firstResponseDueAt") WHERE "firstResponseDueAt" IS NOT NULL;
DROP INDEX "Case_status_priorityRecheckAt_idx";
CREATE INDEX "Case_status_priorityRecheckAt_idx" ON "Case"("status", "priorityRecheckAt") WHERE "status" = 'open' AND "priorityRecheckAt" IS NOT NULL;

-- "Next case" as in 20261206100000_dequeue_waiting_queues, with the first
-- pass and the queue heads as one statement per kind of agent (and the
-- relaxed pools' part only when a pool is open): the statements that held
-- every kind as branches of one plan set all of them up on every call, a
-- tenth of the function's time.
CREATE OR REPLACE FUNCTION surge_next_cases(requests jsonb, at_time timestamp(3), slot_statuses text[])
RETURNS TABLE (agent_id text, case_id text, case_number integer)
LANGUAGE plpgsql AS $$
DECLARE
  request jsonb;
  free_channels text[];
  exact_channels text[];
  wanted_languages text[];
  wanted_complexities "CaseComplexity"[];
  basic_languages text[];
  blocked_topics text[];
  levels integer[];
  takes_escalations boolean;
  escalations_first boolean;
  simple_only boolean;
  pools jsonb;
  written_at timestamp(3);
  taken_status "CaseStatus";
  taken_level integer;
  taken_step integer;
  taken_widen text;
BEGIN
  FOR request IN
    SELECT value FROM jsonb_array_elements(requests)
    ORDER BY hashtextextended(value->>'agent', 0)
  LOOP
    agent_id := request->>'agent';
    case_id := NULL;
    case_number := NULL;
    -- One batch at a time per agent, across instances.
    PERFORM pg_advisory_xact_lock(hashtextextended(agent_id, 0));
    -- Free slots over the agent's channels and the channels of relaxed pools.
    -- The held cases are read one slot status at a time, each an index range
    -- of Case(assigneeId, status) (OFFSET 0 keeps it so): as a filter on all
    -- the agent's cases, the check grew with every case they ever resolved.
    SELECT array_agg(ch.id) INTO free_channels
    FROM "Channel" ch
    LEFT JOIN (
      SELECT held."channelId", count(*) AS n
      FROM unnest(slot_statuses::"CaseStatus"[]) AS slot(status)
      CROSS JOIN LATERAL (
        SELECT c."channelId" FROM "Case" c WHERE c."assigneeId" = agent_id AND c.status = slot.status OFFSET 0
      ) AS held
      GROUP BY held."channelId"
    ) h ON h."channelId" = ch.id
    WHERE (ch.id IN (SELECT jsonb_array_elements_text(request->'channels'))
           OR ch.id IN (SELECT p->>'channel' FROM jsonb_array_elements(coalesce(request->'relaxed', '[]'::jsonb)) AS p))
      AND ch.active
      AND coalesce(h.n, 0) < ch."maxConcurrentPerAgent";
    IF free_channels IS NOT NULL THEN
      SELECT ARRAY(SELECT jsonb_array_elements_text(request->'channels') INTERSECT SELECT unnest(free_channels)),
             ARRAY(SELECT jsonb_array_elements_text(request->'languages')),
             ARRAY(SELECT jsonb_array_elements_text(request->'complexities'))::"CaseComplexity"[],
             ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'basicLanguages', '[]'::jsonb))),
             ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'blockedTopics', '[]'::jsonb))),
             ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'escalationLevels', '[]'::jsonb))::integer)
      INTO exact_channels, wanted_languages, wanted_complexities, basic_languages, blocked_topics, levels;
      takes_escalations := cardinality(levels) > 0;
      escalations_first := coalesce((request->>'escalationsFirst')::boolean, false) AND takes_escalations;
      simple_only := wanted_complexities = ARRAY['simple']::"CaseComplexity"[];
      SELECT coalesce(jsonb_agg(p), '[]'::jsonb) INTO pools
      FROM jsonb_array_elements(coalesce(request->'relaxed', '[]'::jsonb)) AS p
      WHERE p->>'channel' = ANY(free_channels);

      -- Escalations first (a supervisor's setting): the head of each
      -- escalation queue the agent may take, exact or relaxed.
      IF escalations_first THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx
                AND c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
            UNION ALL
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM jsonb_to_recordset(pools) AS p(channel text, language text, complexity "CaseComplexity", before timestamptz)
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = p.channel AND c.language = p.language AND c.complexity = p.complexity
                AND c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)
                AND c."receivedAt" <= (p.before AT TIME ZONE 'UTC')
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6), levels);
      END IF;

      -- Exact matches only (no relaxed pool open): most of the time one of
      -- the 32 most urgent cases of what the agent takes at all is theirs:
      -- open and escalated cases in one order for experienced agents, open
      -- simple cases for who takes simple ones only, else open cases (read
      -- from the index of open and escalated ones: there is no index of
      -- open cases alone in this order). One
      -- statement per kind of agent (a statement that held all three as
      -- branches paid to set up all three on every call).
      IF case_id IS NULL AND jsonb_array_length(pools) = 0 THEN
        IF takes_escalations THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT head.id
          FROM (SELECT c.id, c.status, c."assigneeId", c."escalationLevel", c."channelId", c.language, c.complexity, c.topics
                FROM "Case" c
                WHERE c.status IN ('open', 'escalated')
                ORDER BY c."priorityTier", c."receivedAt", c.id
                LIMIT 32) AS head
          WHERE (head.status = 'open' OR (head."assigneeId" IS NULL AND head."escalationLevel" = ANY(levels)))
            AND head."channelId" = ANY(exact_channels)
            AND head.language = ANY(wanted_languages)
            AND head.complexity = ANY(wanted_complexities)
            AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
            AND NOT (head.topics && blocked_topics)), levels);
        ELSIF simple_only THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT head.id
          FROM (SELECT c.id, c.status, c."assigneeId", c."escalationLevel", c."channelId", c.language, c.complexity, c.topics
                FROM "Case" c
                WHERE c.status = 'open' AND c.complexity = 'simple'
                ORDER BY c."priorityTier", c."receivedAt", c.id
                LIMIT 32) AS head
          WHERE (head.status = 'open' OR (head."assigneeId" IS NULL AND head."escalationLevel" = ANY(levels)))
            AND head."channelId" = ANY(exact_channels)
            AND head.language = ANY(wanted_languages)
            AND head.complexity = ANY(wanted_complexities)
            AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
            AND NOT (head.topics && blocked_topics)), levels);
        ELSE
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT head.id
          FROM (SELECT c.id, c.status, c."assigneeId", c."escalationLevel", c."channelId", c.language, c.complexity, c.topics
                FROM "Case" c
                WHERE c.status IN ('open', 'escalated') AND c.status = 'open'
                ORDER BY c."priorityTier", c."receivedAt", c.id
                LIMIT 32) AS head
          WHERE (head.status = 'open' OR (head."assigneeId" IS NULL AND head."escalationLevel" = ANY(levels)))
            AND head."channelId" = ANY(exact_channels)
            AND head.language = ANY(wanted_languages)
            AND head.complexity = ANY(wanted_complexities)
            AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
            AND NOT (head.topics && blocked_topics)), levels);
        END IF;
      END IF;

      -- The head of each queue the agent may take (one per channel, language
      -- and complexity, plus one per relaxed pool; open and escalated cases
      -- in one head for experienced agents), read without locks: cases the
      -- agent cannot take, however many, are never looked at. Again one
      -- statement per kind of agent, and the pools' part only when a pool is open.
      IF case_id IS NULL THEN
        IF takes_escalations AND jsonb_array_length(pools) = 0 THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx AND c.status IN ('open', 'escalated')
                AND (c.status = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6), levels);
        ELSIF takes_escalations THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx AND c.status IN ('open', 'escalated')
                AND (c.status = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
            UNION ALL
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM jsonb_to_recordset(pools) AS p(channel text, language text, complexity "CaseComplexity", before timestamptz)
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = p.channel AND c.language = p.language AND c.complexity = p.complexity AND c.status IN ('open', 'escalated')
                AND (c.status = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
                AND c."receivedAt" <= (p.before AT TIME ZONE 'UTC')
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6), levels);
        ELSIF jsonb_array_length(pools) = 0 THEN
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx AND c.status = 'open'
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6), levels);
        ELSE
        case_id := surge_lock_first_waiting(ARRAY(
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx AND c.status = 'open'
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
            UNION ALL
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM jsonb_to_recordset(pools) AS p(channel text, language text, complexity "CaseComplexity", before timestamptz)
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = p.channel AND c.language = p.language AND c.complexity = p.complexity AND c.status = 'open'
                AND c."receivedAt" <= (p.before AT TIME ZONE 'UTC')
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6), levels);
        END IF;
      END IF;

      -- Every head was taken meanwhile (rare): an ordered scan past the
      -- locked rows; escalations alone first when they come first.
      IF case_id IS NULL AND escalations_first THEN
        SELECT c.id INTO case_id
        FROM "Case" c
        WHERE c.status IN ('open', 'escalated')
          AND c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)
          AND NOT (c.topics && blocked_topics)
          AND (
            (c."channelId" = ANY(exact_channels)
              AND c.language = ANY(wanted_languages)
              AND c.complexity = ANY(wanted_complexities)
              AND NOT (c.language = ANY(basic_languages) AND c.complexity <> 'simple'))
            OR (jsonb_array_length(pools) > 0 AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(pools) AS p
              WHERE p->>'channel' = c."channelId" AND p->>'language' = c.language AND p->>'complexity' = c.complexity::text
                AND c."receivedAt" <= (p->>'before')::timestamptz AT TIME ZONE 'UTC'))
          )
        ORDER BY c."priorityTier", c."receivedAt", c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED;
      END IF;
      -- (For who takes no escalations, `levels` is empty: open cases only.)
      IF case_id IS NULL THEN
        SELECT c.id INTO case_id
        FROM "Case" c
        WHERE c.status IN ('open', 'escalated')
          AND (c.status = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
          AND NOT (c.topics && blocked_topics)
          AND (
            (c."channelId" = ANY(exact_channels)
              AND c.language = ANY(wanted_languages)
              AND c.complexity = ANY(wanted_complexities)
              AND NOT (c.language = ANY(basic_languages) AND c.complexity <> 'simple'))
            OR (jsonb_array_length(pools) > 0 AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(pools) AS p
              WHERE p->>'channel' = c."channelId" AND p->>'language' = c.language AND p->>'complexity' = c.complexity::text
                AND c."receivedAt" <= (p->>'before')::timestamptz AT TIME ZONE 'UTC'))
          )
        ORDER BY c."priorityTier", c."receivedAt", c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED;
      END IF;

      IF case_id IS NOT NULL THEN
        -- Why it reached the agent: its escalation level, and the relaxation
        -- step that opened it when it is not an exact match.
        SELECT c.status, c."escalationLevel", pool.step, pool.widen
        INTO taken_status, taken_level, taken_step, taken_widen
        FROM "Case" c
        LEFT JOIN LATERAL (
          SELECT (p->>'step')::integer AS step, p->>'widen' AS widen
          FROM jsonb_array_elements(pools) AS p
          WHERE NOT (c."channelId" = ANY(exact_channels) AND c.language = ANY(wanted_languages)
                     AND c.complexity = ANY(wanted_complexities)
                     AND NOT (c.language = ANY(basic_languages) AND c.complexity <> 'simple'))
            AND p->>'channel' = c."channelId" AND p->>'language' = c.language AND p->>'complexity' = c.complexity::text
          ORDER BY (p->>'step')::integer
          LIMIT 1
        ) AS pool ON true
        WHERE c.id = case_id;
        -- The time of this write (not of the batch's start, nor of the transaction's).
        written_at := (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3);
        UPDATE "Case"
        SET status = 'assigned', "assigneeId" = agent_id, "assignedAt" = written_at, "updatedAt" = written_at
        WHERE id = case_id
        RETURNING number INTO case_number;
        IF taken_status = 'escalated' THEN
          UPDATE "Escalation" SET status = 'taken', "expertId" = agent_id, "takenAt" = written_at
          WHERE "caseId" = case_id AND status = 'open';
        END IF;
        INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
        VALUES ('e' || replace(gen_random_uuid()::text, '-', ''), case_id, 'assigned', agent_id,
                jsonb_strip_nulls(jsonb_build_object(
                  'to', agent_id, 'via', 'next_case',
                  'escalationLevel', CASE WHEN taken_status = 'escalated' THEN taken_level END,
                  'relaxationStep', taken_step, 'relaxation', taken_widen)),
                written_at);
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END;
$$;

ALTER FUNCTION surge_next_cases(jsonb, timestamp(3), text[]) SET plan_cache_mode = force_generic_plan;
