-- Rule 2: the window funnel. Reached[k] = the number of entities whose level is > k. For the logs without per-step
-- windows; reached_step_windows.sql does those with them.
--
-- t0 = the time of the entity's earliest ENTRY at stage 0 (an entity without one reaches nothing). The level is
-- the largest L with entries e_0..e_{L-1}, e_i.stage = i, e_0.ts = t0 and t0 <= e_1.ts <= ... <= e_{L-1}.ts <= t0 + W.
-- Equal timestamps match in any order (the input position plays no part here), and loss events never match.
--
-- Computed stage by stage instead of event by event: reach(level, t) holds when a chain e_0..e_{level-1} exists,
-- and t is the EARLIEST time e_{level-1} can have in such a chain. A chain of one more step exists exactly when the
-- entity has an entry at stage `level` at or after t (non-decreasing times, ties allowed) and within the window;
-- the earliest such entry is the new t (any later e_level leaves less room for the rest of the chain). This is the
-- greedy of SEMANTICS.md (events sorted by (ts, stage)), run with one recursion step per stage, so its depth is
-- the number of stages, not the number of events of the busiest entity.
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
      AND log_id IN (SELECT log_id FROM logs WHERE NOT has_step_windows)
    GROUP BY log_id, entity
),
reach (log_id, entity, t0, level, t) AS (
    SELECT log_id, entity, t0, 1, t0                    -- level 1: e_0 at t0
    FROM anchors
    UNION ALL
    SELECT r.log_id, r.entity, r.t0, r.level + 1, min(e.ts)
    FROM reach r
    JOIN logs l ON l.log_id = r.log_id
    JOIN entries e ON e.log_id = r.log_id AND e.entity = r.entity
                  AND e.stage = r.level                 -- e_level is at stage `level`
                  AND e.ts >= r.t                       -- no earlier than e_{level-1} (ties match in any order)
                  AND e.ts - r.t0 <= l.window_seconds   -- within the window, inclusive (a difference: no overflow)
    GROUP BY r.log_id, r.entity, r.t0, r.level
)
SELECT log_id,
       level - 1 AS stage,                              -- an entity at level L counts in Reached[0..L-1]
       count(*)  AS entities
FROM reach
GROUP BY log_id, level
ORDER BY log_id, stage;
