-- Routing after assignment and escalations in the dequeue (issue 15, points
-- 2, 7 and 8): when the assignee opened the case (push time-out), the
-- supervisor's routing settings (escalations first, skill relaxation), and
-- surge_next_cases taking escalated cases and relaxed pools.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "openedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RoutingSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "escalationsFirst" BOOLEAN NOT NULL DEFAULT false,
    "relaxation" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "RoutingSettings_pkey" PRIMARY KEY ("id")
);

-- Reference data: the one settings row (escalations in the priority order, no relaxation).
INSERT INTO "RoutingSettings" ("id") VALUES (1) ON CONFLICT DO NOTHING;

-- The dequeue, now also for experts and relaxed pools. Each request may carry
-- (besides channels, languages, complexities, basicLanguages, blockedTopics):
--   escalationLevels  int[]   escalated cases waiting (status escalated, no
--                             assignee) at one of these levels are taken too;
--   escalationsFirst  bool    escalated before open cases (else one order:
--                             tier, then waiting time);
--   relaxed           [{channel, language, complexity, before, step, widen}]
--                             pools opened by skill relaxation: cases of that
--                             channel, language and complexity received at or
--                             before `before`.
-- Every list comes from app/cases/routing.ts (routingFilterFor), so this
-- function holds no rule of its own. A request with none of the three runs
-- exactly as before. The assigned event says why the case reached the agent
-- (escalationLevel, relaxationStep, relaxation).
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
  statuses "CaseStatus"[];
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
      exact_channels := ARRAY(SELECT jsonb_array_elements_text(request->'channels') INTERSECT SELECT unnest(free_channels));
      wanted_languages := ARRAY(SELECT jsonb_array_elements_text(request->'languages'));
      wanted_complexities := ARRAY(SELECT jsonb_array_elements_text(request->'complexities'))::"CaseComplexity"[];
      basic_languages := ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'basicLanguages', '[]'::jsonb)));
      blocked_topics := ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'blockedTopics', '[]'::jsonb)));
      levels := ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'escalationLevels', '[]'::jsonb))::integer);
      escalations_first := coalesce((request->>'escalationsFirst')::boolean, false);
      SELECT coalesce(jsonb_agg(p), '[]'::jsonb) INTO pools
      FROM jsonb_array_elements(coalesce(request->'relaxed', '[]'::jsonb)) AS p
      WHERE p->>'channel' = ANY(free_channels);
      statuses := CASE WHEN cardinality(levels) > 0 THEN ARRAY['open', 'escalated']::"CaseStatus"[] ELSE ARRAY['open']::"CaseStatus"[] END;
      IF cardinality(levels) = 0 AND jsonb_array_length(pools) = 0 THEN
        -- Open cases, exact matches only (volunteers, and agents while no
        -- relaxation applies and no escalation level is configured): most of
        -- the time one of the 32 most urgent open cases of all is theirs.
        FOR candidate IN
          SELECT head.id
          FROM (
            SELECT c.id, c."channelId", c.language, c.complexity, c.topics, c."priorityTier", c."receivedAt"
            FROM "Case" c
            WHERE c.status = 'open'
            ORDER BY c.status, c."priorityTier", c."receivedAt", c.id
            LIMIT 32
          ) AS head
          WHERE head."channelId" = ANY(exact_channels)
            AND head.language = ANY(wanted_languages)
            AND head.complexity = ANY(wanted_complexities)
            AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
            AND NOT (head.topics && blocked_topics)
          ORDER BY head."priorityTier", head."receivedAt", head.id
        LOOP
          SELECT c.id INTO case_id FROM "Case" c WHERE c.id = candidate AND c.status = 'open' FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;
      IF case_id IS NULL THEN
        -- The head of each queue the agent may take (one per channel,
        -- language, complexity and status: open, and escalated for experts;
        -- plus one per relaxed pool), in one priority order, read without
        -- locks: cases the agent cannot take, however many, are never looked
        -- at. Another batch may be taking the same heads right now, so each
        -- is tried with SKIP LOCKED and the first still waiting is taken.
        FOR candidate IN
          SELECT head.id
          FROM (
            SELECT ch AS channel_id, lang, cx, NULL::timestamp(3) AS before
            FROM unnest(exact_channels) AS ch
            CROSS JOIN unnest(wanted_languages) AS lang
            CROSS JOIN unnest(wanted_complexities) AS cx
            WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
            UNION ALL
            SELECT p->>'channel', p->>'language', (p->>'complexity')::"CaseComplexity", (p->>'before')::timestamptz AT TIME ZONE 'UTC'
            FROM jsonb_array_elements(pools) AS p
          ) AS queue
          CROSS JOIN unnest(statuses) AS st
          CROSS JOIN LATERAL (
            SELECT c.id, c.status, c."priorityTier", c."receivedAt"
            FROM "Case" c
            WHERE c."channelId" = queue.channel_id AND c.language = queue.lang AND c.complexity = queue.cx AND c.status = st
              AND (st = 'open' OR (c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
              AND (queue.before IS NULL OR c."receivedAt" <= queue.before)
              AND NOT (c.topics && blocked_topics)
            ORDER BY c."priorityTier", c."receivedAt", c.id
            LIMIT 1
          ) AS head
          ORDER BY (escalations_first AND head.status = 'escalated') DESC, head."priorityTier", head."receivedAt", head.id
          LIMIT 6
        LOOP
          SELECT c.id INTO case_id FROM "Case" c
          WHERE c.id = candidate
            AND (c.status = 'open' OR (c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
          FOR UPDATE SKIP LOCKED;
          EXIT WHEN case_id IS NOT NULL;
        END LOOP;
      END IF;
      -- Every head was taken meanwhile (rare): one ordered scan past the locked rows.
      IF case_id IS NULL THEN
        SELECT c.id INTO case_id
        FROM "Case" c
        WHERE (c.status = 'open' OR (c.status = 'escalated' AND c."assigneeId" IS NULL AND c."escalationLevel" = ANY(levels)))
          AND NOT (c.topics && blocked_topics)
          AND (
            (c."channelId" = ANY(exact_channels)
              AND c.language = ANY(wanted_languages)
              AND c.complexity = ANY(wanted_complexities)
              AND NOT (c.language = ANY(basic_languages) AND c.complexity <> 'simple'))
            OR EXISTS (
              SELECT 1 FROM jsonb_array_elements(pools) AS p
              WHERE p->>'channel' = c."channelId" AND p->>'language' = c.language AND p->>'complexity' = c.complexity::text
                AND c."receivedAt" <= (p->>'before')::timestamptz AT TIME ZONE 'UTC')
          )
        ORDER BY (escalations_first AND c.status = 'escalated') DESC, c."priorityTier", c."receivedAt", c.id
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
