-- The attempt that counts for each entity, and its time to convert (docs/bulk.md rules 8, 11, 12 and "Time to
-- convert"), from attempts.sql's tables. Run as statements; makes
--   counted(log_id, entity, a, level, excluded)          one row per entity with an anchor
--   durations(log_id, entity, step, kind, d)   per step >= 1 the counted attempt reached: d seconds from the
--                                              anchor (kind 'anchor') and from the previous step ('previous')
--
-- Rule 11: an attempt is disqualified by an exclusion (steps i < j, target an entry into a stage or a loss of any or
-- of one reason) when i < level and a target event lies STRICTLY between T_i and T_j (T_j = infinity when the
-- attempt does not reach j) and within a + W. (Exclusion steps are never optional, so "reaches j" is level > j.)
--
-- Rule 8 with rule 11: First counts the attempt from the earliest anchor, Latest from the latest; the entity is
-- dropped (excluded) when that attempt is disqualified. Best counts the deepest attempt that is not disqualified,
-- ties to the earliest anchor; the entity is dropped only when every attempt is disqualified.
CREATE OR REPLACE TABLE disqualified AS
SELECT DISTINCT x.log_id, x.entity, x.a
FROM attempts x
JOIN logs l ON l.log_id = x.log_id
JOIN exclusions ex ON ex.log_id = x.log_id AND ex.from_step < x.level
JOIN attempt_steps ti ON ti.log_id = x.log_id AND ti.entity = x.entity AND ti.a = x.a AND ti.step = ex.from_step
LEFT JOIN attempt_steps tj ON tj.log_id = x.log_id AND tj.entity = x.entity AND tj.a = x.a AND tj.step = ex.to_step
JOIN events ev ON ev.log_id = x.log_id AND ev.entity = x.entity
              AND ev.ts > ti.t                              -- strictly after T_i
              AND (tj.t IS NULL OR ev.ts < tj.t)            -- strictly before T_j (no T_j: up to the window's end)
              AND ev.ts - x.a <= l.window_seconds           -- within a + W
WHERE CASE WHEN ex.is_loss THEN ev.is_loss AND (ex.reason IS NULL OR ev.reason = ex.reason)
           ELSE NOT ev.is_loss AND ev.stage = ex.stage END;

CREATE OR REPLACE TABLE counted AS
WITH ranked AS (
    SELECT x.log_id, x.entity, x.a, x.level, d.a IS NOT NULL AS excluded,
           row_number() OVER (
               PARTITION BY x.log_id, x.entity
               ORDER BY CASE WHEN l.anchor = 'latest' THEN -x.a END,           -- Latest: the latest anchor
                        CASE WHEN l.anchor = 'best' THEN d.a IS NOT NULL END,  -- Best: clean attempts first,
                        CASE WHEN l.anchor = 'best' THEN -x.level END,         --   the deepest,
                        x.a) AS choice                                         --   ties (and First): the earliest
    FROM attempts x
    JOIN logs l ON l.log_id = x.log_id
    LEFT JOIN disqualified d ON d.log_id = x.log_id AND d.entity = x.entity AND d.a = x.a
)
SELECT log_id, entity, a, level, excluded
FROM ranked
WHERE choice = 1;

-- Time to convert, per step k >= 1 the counted attempt reached (level > k for a required step; matched, i.e. a
-- T_k exists, for an optional one: attempt_steps has a row exactly then): from the anchor T_k - T_0 (T_0 = a), and
-- from the previous step T_k - T_p, p the LATEST (highest) earlier step with a reach time not after T_k. A dropped
-- entity has no counted attempt and no times.
CREATE OR REPLACE TABLE durations AS
WITH reach AS (
    SELECT x.log_id, x.entity, x.step, x.t, c.a
    FROM attempt_steps x
    JOIN counted c ON c.log_id = x.log_id AND c.entity = x.entity AND c.a = x.a
    WHERE NOT c.excluded
),
times AS (
    SELECT k.log_id, k.entity, k.step,
           k.t - k.a AS from_anchor,
           k.t - (SELECT arg_max(p.t, p.step)               -- T_p of the highest step p < k with T_p <= T_k
                  FROM reach p
                  WHERE p.log_id = k.log_id AND p.entity = k.entity AND p.step < k.step AND p.t <= k.t) AS from_previous
    FROM reach k
    WHERE k.step >= 1
)
SELECT log_id, entity, step, 'anchor' AS kind, from_anchor AS d FROM times
UNION ALL
SELECT log_id, entity, step, 'previous', from_previous FROM times;
