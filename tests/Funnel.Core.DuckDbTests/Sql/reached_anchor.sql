-- Rule 8: the anchors Latest and Best (docs/bulk.md). Reached[k] = the number of entities whose counted attempt has a
-- level > k, one row set per anchor mode ('latest', 'best'). For the logs without per-step windows, like reached.sql.
--
-- Rule 8: every DISTINCT time of an entry into stage 0 is an attempt's anchor a (entries into stage 0 in one second
-- are one anchor; an entity without one reaches nothing). The attempt's level is reached.sql's: the largest L with
-- entries e_0..e_{L-1}, e_i.stage = i, e_0.ts = a, a <= e_1.ts <= ... <= e_{L-1}.ts <= a + W; equal timestamps
-- match in any order, loss events never match.
-- Latest: the attempt from the entity's latest stage-0 entry counts. Best: the deepest attempt counts (which anchor
-- wins a tie between equally deep attempts decides only time to convert and exclusions, not Reached).
--
-- The same stage-by-stage recursion as reached.sql, run from every anchor at once: reach(a, level, t) holds when a
-- chain of `level` steps exists from a, t being the earliest time its last entry can have.
WITH RECURSIVE
entries AS (
    SELECT log_id, entity, stage, ts
    FROM events
    WHERE NOT is_loss                                   -- loss events never match
),
anchors AS (
    SELECT DISTINCT log_id, entity, ts AS t0            -- rule 8: one attempt per distinct stage-0 entry time
    FROM entries
    WHERE stage = 0
      AND log_id IN (SELECT log_id FROM logs WHERE NOT has_step_windows)
),
reach (log_id, entity, t0, level, t) AS (
    SELECT log_id, entity, t0, 1, t0                    -- level 1: e_0 at a
    FROM anchors
    UNION ALL
    SELECT r.log_id, r.entity, r.t0, r.level + 1, min(e.ts)
    FROM reach r
    JOIN logs l ON l.log_id = r.log_id
    JOIN entries e ON e.log_id = r.log_id AND e.entity = r.entity
                  AND e.stage = r.level                 -- e_level is at stage `level`
                  AND e.ts >= r.t                       -- no earlier than e_{level-1} (ties match in any order)
                  AND e.ts - r.t0 <= l.window_seconds   -- within a + W, inclusive
    GROUP BY r.log_id, r.entity, r.t0, r.level
),
attempts AS (
    SELECT log_id, entity, t0, max(level) AS level      -- the level of the attempt from a
    FROM reach
    GROUP BY log_id, entity, t0
),
counted AS (
    SELECT 'latest' AS anchor, log_id, entity,
           arg_max(level, t0) AS level                  -- Latest: the attempt from the latest anchor
    FROM attempts
    GROUP BY log_id, entity
    UNION ALL
    SELECT 'best', log_id, entity, max(level)           -- Best: the deepest attempt
    FROM attempts
    GROUP BY log_id, entity
),
stages AS (
    SELECT log_id, unnest(range(stage_count)) AS stage
    FROM logs
)
SELECT c.anchor AS mode,
       c.log_id,
       s.stage,
       count(*) AS entities                             -- an entity at level L counts in Reached[0..L-1]
FROM counted c
JOIN stages s ON s.log_id = c.log_id AND s.stage < c.level
GROUP BY c.anchor, c.log_id, s.stage
ORDER BY c.anchor, c.log_id, s.stage;
