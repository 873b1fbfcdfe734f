-- The waiting cases (open, and escalated awaiting an expert) get partial
-- indexes of their own, in dequeue order: per queue (channel, language,
-- complexity), over all queues, and for unassigned escalations alone. An
-- assignment takes a case out of them (no index entry is written for an
-- assigned case), and open and escalated cases share one order, so an
-- experienced agent reads one head per queue instead of one per status.
-- The old per-queue index with the status inside it is dropped.
-- The dequeue function below reads them, and runs on generic plans: planning
-- each statement for every agent of a batch cost as much as running it.
-- Prisma's schema cannot describe partial indexes (prisma/schema.prisma
-- says so next to the Case model); they live here.
CREATE INDEX "Case_waiting_queue_idx" ON "Case" ("channelId", "language", "complexity", "priorityTier", "receivedAt", "id") WHERE "status" IN ('open', 'escalated');
CREATE INDEX "Case_waiting_order_idx" ON "Case" ("priorityTier", "receivedAt", "id") WHERE "status" IN ('open', 'escalated');
CREATE INDEX "Case_escalation_queue_idx" ON "Case" ("channelId", "language", "complexity", "priorityTier", "receivedAt", "id") WHERE "status" = 'escalated' AND "assigneeId" IS NULL;
DROP INDEX IF EXISTS "Case_channelId_language_complexity_status_priorityTier_rece_idx";

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
  escalations_first boolean;
  pools jsonb;
  written_at timestamp(3);
  candidate text;
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
    SELECT array_agg(ch.id) INTO free_channels
    FROM "Channel" ch
    LEFT JOIN (
      SELECT held."channelId", count(*) AS n
      FROM "Case" held
      WHERE held."assigneeId" = agent_id AND held.status::text = ANY(slot_statuses)
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
      escalations_first := coalesce((request->>'escalationsFirst')::boolean, false) AND cardinality(levels) > 0;
      SELECT coalesce(jsonb_agg(p), '[]'::jsonb) INTO pools
      FROM jsonb_array_elements(coalesce(request->'relaxed', '[]'::jsonb)) AS p
      WHERE p->>'channel' = ANY(free_channels);

      -- With escalations first (a supervisor's setting): the head of each
      -- escalation queue the agent may take, from the escalations' own index.
      IF escalations_first THEN
        FOR candidate IN
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
          LIMIT 6
        LOOP
          SELECT c.id INTO case_id FROM "Case" c
          WHERE c.id = candidate AND c.status = 'escalated' AND c."assigneeId" IS NULL
          FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;

      -- Exact matches only (no relaxed pool open): most of the time one of
      -- the 32 most urgent waiting cases of all (open, and escalated for
      -- experts, in one order) is the agent's.
      IF case_id IS NULL AND jsonb_array_length(pools) = 0 THEN
        FOR candidate IN
          SELECT head.id
          FROM (
            SELECT c.id, c.status, c."assigneeId", c."escalationLevel", c."channelId", c.language, c.complexity, c.topics, c."priorityTier", c."receivedAt"
            FROM "Case" c
            WHERE c.status IN ('open', 'escalated')
            ORDER BY c."priorityTier", c."receivedAt", c.id
            LIMIT 32
          ) AS head
          WHERE (head.status = 'open' OR (head."assigneeId" IS NULL AND head."escalationLevel" = ANY(levels)))
            AND head."channelId" = ANY(exact_channels)
            AND head.language = ANY(wanted_languages)
            AND head.complexity = ANY(wanted_complexities)
            AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
            AND NOT (head.topics && blocked_topics)
          ORDER BY head."priorityTier", head."receivedAt", head.id
        LOOP
          SELECT c.id INTO case_id FROM "Case" c
          WHERE c.id = candidate
            AND (c.status = 'open' OR (c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
          FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;

      -- The head of each queue the agent may take (one per channel,
      -- language and complexity, open and escalated cases in one order, plus
      -- one per relaxed pool), read without locks: cases the agent cannot
      -- take, however many, are never looked at. Another batch may be taking
      -- the same heads right now, so each is tried with SKIP LOCKED.
      IF case_id IS NULL THEN
        FOR candidate IN
          SELECT h.id FROM (
            SELECT head.id, head."priorityTier", head."receivedAt"
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            CROSS JOIN LATERAL (
              SELECT c.id, c."priorityTier", c."receivedAt"
              FROM "Case" c
              WHERE c."channelId" = ch AND c.language = lang AND c.complexity = cx
                AND c.status IN ('open', 'escalated')
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
              WHERE c."channelId" = p.channel AND c.language = p.language AND c.complexity = p.complexity
                AND c.status IN ('open', 'escalated')
                AND (c.status = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
                AND c."receivedAt" <= (p.before AT TIME ZONE 'UTC')
                AND NOT (c.topics && blocked_topics)
              ORDER BY c."priorityTier", c."receivedAt", c.id
              LIMIT 1
            ) AS head
          ) AS h
          ORDER BY h."priorityTier", h."receivedAt", h.id
          LIMIT 6
        LOOP
          SELECT c.id INTO case_id FROM "Case" c
          WHERE c.id = candidate
            AND (c.status = 'open' OR (c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
          FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;

      -- Every head was taken meanwhile (rare): an ordered scan past the locked
      -- rows, escalations alone first when they come first.
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

-- Generic plans: every statement above is planned once per connection, not
-- once per agent (the queries name their status constants, so the partial
-- indexes still apply and every scan stays ordered).
ALTER FUNCTION surge_next_cases(jsonb, timestamp(3), text[]) SET plan_cache_mode = force_generic_plan;
