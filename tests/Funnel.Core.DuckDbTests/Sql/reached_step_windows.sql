-- Rule 2 with per-step windows (issue 14 rule 7), for the logs that have them: Reached[k] = the number of entities
-- whose level is > k, where the level is the largest L with entries e_0..e_{L-1}, e_i.stage = i, e_0.ts = t0 (the
-- earliest stage-0 entry), t0 <= e_1.ts <= ... <= e_{L-1}.ts <= t0 + W, and besides, for every step k that has a
-- window W_k (a row in `steps`): e_k.ts - e_{k-1}.ts <= W_k. Equal timestamps match in any order; losses never match.
--
-- With per-step windows the earliest match of a step is no longer always the best (a later e_{k-1} leaves a later
-- deadline for e_k), so reached.sql's one earliest time per stage is not enough. Instead ends(level, t) holds EVERY
-- time t at which some chain e_0..e_{level-1} can end; a chain of one more step exists exactly when an entry at
-- stage `level` follows one of those times within the step's window and the overall window. The constraints only
-- link consecutive steps (and the fixed anchor), so the set of end times is all a longer chain needs to know.
WITH RECURSIVE
entries AS (
    SELECT log_id, entity, stage, ts
    FROM events
    WHERE NOT is_loss                                   -- loss events never match
),
anchors AS (
    SELECT log_id, entity, min(ts) AS t0                -- the earliest stage-0 entry anchors (ties: any)
    FROM entries
    WHERE stage = 0
      AND log_id IN (SELECT log_id FROM logs WHERE has_step_windows)
    GROUP BY log_id, entity
),
ends (log_id, entity, t0, level, t) AS (
    SELECT log_id, entity, t0, 1, t0                    -- level 1: e_0 at t0
    FROM anchors
    UNION                                               -- a set: each end time once per entity and level
    SELECT r.log_id, r.entity, r.t0, r.level + 1, e.ts
    FROM ends r
    JOIN logs l ON l.log_id = r.log_id
    JOIN entries e ON e.log_id = r.log_id AND e.entity = r.entity
                  AND e.stage = r.level                 -- e_level is at stage `level`
                  AND e.ts >= r.t                       -- no earlier than e_{level-1} (ties match in any order)
                  AND e.ts - r.t0 <= l.window_seconds   -- within the window from the anchor, inclusive
    LEFT JOIN steps s ON s.log_id = r.log_id AND s.step = r.level
    WHERE s.window_seconds IS NULL                      -- a step without a window of its own
       OR e.ts - r.t <= s.window_seconds                -- or within it, inclusive
)
SELECT log_id,
       level - 1 AS stage,                              -- an entity at level L counts in Reached[0..L-1]
       count(DISTINCT entity) AS entities
FROM ends
GROUP BY log_id, level
ORDER BY log_id, stage;
