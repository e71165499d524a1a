-- Rule 9: strict order (docs/bulk.md), anchor First. Reached[k] = the number of entities whose level > k, where a
-- chain counts only if every event of the entity (an entry into any stage, a repeat of a step, a loss) at a time
-- STRICTLY between t_0 and t_{L-1} belongs to the chain; events in the second of t_0 or of t_{L-1} that are not in
-- it never break it (the tied events of a second can be put in any order). For the logs without per-step windows.
-- Rows (mode, log_id, stage, entities) with mode 'strict'.
--
-- Rule 2 as in reached.sql: a = the entity's earliest entry into stage 0; e_i into stage i; a <= t_1 <= ... <=
-- t_{L-1} <= a + W; loss events never match.
--
-- Computed stage by stage over states (level, t, j): a strict chain of `level` steps exists whose last entry is in
-- second t, and whose entries in second t are those into stages j..level-1. Its next entry (into stage `level`) is
-- either in the same second t (ties), or in the entity's NEXT second t' after t (any event in between would be
-- strictly inside the span and not in the chain). Moving on to t' makes second t interior unless t = a, so then
-- the events of second t must be exactly the chain's entries into j..level-1, once each (no loss, no other stage,
-- no repeat). Every state is kept (not only the earliest t): which events a second holds decides what can follow.
WITH RECURSIVE
seconds AS (
    -- One row per (entity, second): what happened in it, and the entity's next second with any event.
    SELECT log_id, entity, ts,
           count(*)                                        AS events,
           count(*) FILTER (WHERE NOT is_loss)             AS entries,
           count(DISTINCT stage) FILTER (WHERE NOT is_loss) AS entry_stages,
           min(stage) FILTER (WHERE NOT is_loss)           AS min_stage,
           max(stage) FILTER (WHERE NOT is_loss)           AS max_stage,
           lead(ts) OVER (PARTITION BY log_id, entity ORDER BY ts) AS next_ts
    FROM events
    GROUP BY log_id, entity, ts
),
entries AS (
    SELECT DISTINCT log_id, entity, stage, ts
    FROM events
    WHERE NOT is_loss                                      -- loss events never match
),
anchors AS (
    SELECT log_id, entity, min(ts) AS t0                   -- First: the earliest stage-0 entry anchors
    FROM entries
    WHERE stage = 0
      AND log_id IN (SELECT log_id FROM logs WHERE NOT has_step_windows)
    GROUP BY log_id, entity
),
reach (log_id, entity, t0, level, t, j) AS (
    SELECT log_id, entity, t0, 1, t0, 0                    -- level 1: e_0 at a; second a holds the chain's stage 0
    FROM anchors
    UNION                                                  -- set semantics: each state once
    SELECT r.log_id, r.entity, r.t0, r.level + 1, e.ts,
           CASE WHEN e.ts = r.t THEN r.j ELSE r.level END  -- a new second starts its run of stages at `level`
    FROM reach r
    JOIN logs l ON l.log_id = r.log_id
    JOIN seconds s ON s.log_id = r.log_id AND s.entity = r.entity AND s.ts = r.t
    JOIN entries e ON e.log_id = r.log_id AND e.entity = r.entity
                  AND e.stage = r.level                    -- e_level is at stage `level`
                  AND e.ts - r.t0 <= l.window_seconds      -- within a + W, inclusive
    WHERE e.ts = r.t                                       -- a tie: same second, no event in between
       OR (e.ts = s.next_ts                                -- or the very next second of the entity
           AND (r.t = r.t0                                 -- second a stays a boundary: never breaks the chain
                OR (s.events = r.level - r.j               -- second t becomes interior: exactly the chain's
                    AND s.entries = s.events               --   entries into j..level-1, once each, no loss
                    AND s.entry_stages = s.events
                    AND s.min_stage >= r.j
                    AND s.max_stage <= r.level - 1)))
),
levels AS (
    SELECT log_id, entity, max(level) AS level
    FROM reach
    GROUP BY log_id, entity
),
stages AS (
    SELECT log_id, unnest(range(stage_count)) AS stage
    FROM logs
)
SELECT 'strict' AS mode,
       v.log_id,
       s.stage,
       count(*) AS entities                                -- an entity at level L counts in Reached[0..L-1]
FROM levels v
JOIN stages s ON s.log_id = v.log_id AND s.stage < v.level
GROUP BY v.log_id, s.stage
ORDER BY v.log_id, s.stage;
