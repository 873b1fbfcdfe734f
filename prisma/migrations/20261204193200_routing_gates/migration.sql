-- "Next case" learns two more rules (both computed per agent by
-- app/cases/routing.ts and passed in each request, so the rules stay in one
-- TypeScript module):
--   basicLanguages: languages the agent speaks at basic level; cases in them
--     only when simple;
--   blockedTopics: topics whose skill the agent lacks; cases carrying any of
--     them are skipped.
-- The statuses that take a slot (routing.ts SLOT_STATUSES) are a parameter
-- instead of a second copy of the list in SQL.
DROP FUNCTION surge_next_cases(jsonb, timestamp(3));

CREATE FUNCTION surge_next_cases(requests jsonb, at_time timestamp(3), slot_statuses text[])
RETURNS TABLE (agent_id text, case_id text, case_number integer)
LANGUAGE plpgsql AS $$
DECLARE
  request jsonb;
  free_channels text[];
  wanted_languages text[];
  wanted_complexities "CaseComplexity"[];
  basic_languages text[];
  blocked_topics text[];
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
      WHERE held."assigneeId" = agent_id AND held.status::text = ANY(slot_statuses)
      GROUP BY held."channelId"
    ) h ON h."channelId" = ch.id
    WHERE ch.id IN (SELECT jsonb_array_elements_text(request->'channels'))
      AND ch.active
      AND coalesce(h.n, 0) < ch."maxConcurrentPerAgent";
    IF free_channels IS NOT NULL THEN
      wanted_languages := ARRAY(SELECT jsonb_array_elements_text(request->'languages'));
      wanted_complexities := ARRAY(SELECT jsonb_array_elements_text(request->'complexities'))::"CaseComplexity"[];
      basic_languages := ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'basicLanguages', '[]'::jsonb)));
      blocked_topics := ARRAY(SELECT jsonb_array_elements_text(coalesce(request->'blockedTopics', '[]'::jsonb)));
      -- Most of the time one of the most urgent open cases of all is one the
      -- agent may take: look at the first 32 of the whole queue first.
      FOR candidate IN
        SELECT head.id
        FROM (
          SELECT c.id, c."channelId", c.language, c.complexity, c.topics, c."priorityTier", c."receivedAt"
          FROM "Case" c
          WHERE c.status = 'open'
          ORDER BY c.status, c."priorityTier", c."receivedAt", c.id
          LIMIT 32
        ) AS head
        WHERE head."channelId" = ANY(free_channels)
          AND head.language = ANY(wanted_languages)
          AND head.complexity = ANY(wanted_complexities)
          AND NOT (head.language = ANY(basic_languages) AND head.complexity <> 'simple')
          AND NOT (head.topics && blocked_topics)
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
              AND NOT (c.topics && blocked_topics)
            ORDER BY c."priorityTier", c."receivedAt", c.id
            LIMIT 1
          ) AS head
          WHERE NOT (lang = ANY(basic_languages) AND cx <> 'simple')
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
          AND NOT (c.language = ANY(basic_languages) AND c.complexity <> 'simple')
          AND NOT (c.topics && blocked_topics)
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
