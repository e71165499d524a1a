-- The attempts of every entity under the log's funnel modes (docs/bulk.md rules 8-12), with the reach time T_k of
-- every step each attempt matched. Run as statements (not a query): it makes the tables
--   attempt_steps(log_id, entity, a, step, t)   T_step of the attempt anchored at a, for every step it matched
--   attempts(log_id, entity, a, level)          the attempt's level
-- that counted.sql, reached_modes.sql and the time-to-convert files read. Covers every log, with or without
-- per-step windows; written from the rules, not from the engine, and slow (every chain state of every anchor is
-- kept): for small logs.
--
-- Ordered and strict (rules 8, 9, 12, with rule 7's per-step windows and rule 2's window):
-- a chain from anchor a is e_0 at a (an entry into stage 0), then entries into steps s_1 < s_2 < ... such that
-- every step skipped between two matched steps is optional (rule 12), at times a <= t_1 <= t_2 <= ... <= a + W
-- (equal timestamps match in any order, loss events never match), each within its step's own window of the
-- PREVIOUS MATCHED step's time (rule 12: the window of step s applies between s and the step matched before it).
-- In strict order (rule 9) every event of the entity at a time strictly between t_0 and the chain's last time
-- belongs to the chain (events in the chain's first or last second never break it; a skipped step allows nothing
-- else in between).
-- Every distinct time of an entry into stage 0 is an anchor (rule 8); counted.sql picks the one that counts.
-- The attempt's level is its longest chain's last matched step + 1, and T_k the earliest time of step k over the
-- attempt's chains (rules 8, 12).
--
-- Computed over chain states (a, step, t, run): a valid chain from a whose last matched step is `step`, at time t.
-- Which states can follow depends only on (a, step, t) in ordered mode, so the recursion keeps every such state (a
-- set: a state once). In strict mode it also depends on the chain's entries in second t (`run`, the sorted list of
-- their stages): the next entry is in second t (a tie), or in the entity's very next second with any event (a later
-- one would leave that second strictly inside the chain with an event not in it), and moving on makes second t
-- interior unless t = a, so then second t must hold exactly the chain's entries `run`, each once, and no loss.
-- A prefix of a valid chain is a valid chain, so the states are exactly the valid chains' prefixes.
--
-- Unordered (rule 10): every distinct time a of an entry into ANY stage is an anchor; the attempt's T_k is the
-- (k+1)-th smallest of the first entry times into each stage within [a, a + W] (the time k + 1 distinct stages have
-- been entered), so its level is the number of distinct stages entered in [a, a + W].
CREATE OR REPLACE TABLE attempt_steps AS
WITH RECURSIVE
entries AS (
    SELECT DISTINCT log_id, entity, stage, ts
    FROM events
    WHERE NOT is_loss                                       -- loss events never match
),
seconds AS (
    -- One row per (entity, second) with any event: whether it holds a loss, the sorted stages of its entries (a
    -- repeat twice), and the entity's next second with an event.
    SELECT log_id, entity, ts,
           bool_or(is_loss)                                         AS has_loss,
           list_sort(list(stage) FILTER (WHERE NOT is_loss))        AS stages,
           lead(ts) OVER (PARTITION BY log_id, entity ORDER BY ts)  AS next_ts
    FROM events
    GROUP BY log_id, entity, ts
),
stages AS (
    SELECT log_id, CAST(unnest(range(stage_count)) AS INTEGER) AS step
    FROM logs
),
hops AS (
    -- Rule 12: a chain may go from step f to step t > f when every step strictly between them is optional.
    SELECT f.log_id, f.step AS from_step, t.step AS to_step
    FROM stages f
    JOIN stages t ON t.log_id = f.log_id AND t.step > f.step
    LEFT JOIN optional o ON o.log_id = f.log_id AND o.step > f.step AND o.step < t.step
    GROUP BY f.log_id, f.step, t.step
    HAVING count(o.step) = t.step - f.step - 1
),
anchors AS (
    SELECT DISTINCT e.log_id, e.entity, e.ts AS a          -- rule 8: one attempt per distinct stage-0 entry time
    FROM entries e
    JOIN logs l USING (log_id)
    WHERE e.stage = 0 AND l.step_order <> 'unordered'
),
chains (log_id, entity, a, step, t, run) AS (
    SELECT log_id, entity, a, 0, a, [0]                     -- e_0 at a
    FROM anchors
    UNION                                                   -- set semantics: each state once
    SELECT c.log_id, c.entity, c.a, e.stage, e.ts,
           CASE WHEN l.step_order = 'ordered' THEN NULL     -- only strict order needs the run
                WHEN e.ts = c.t THEN list_append(c.run, e.stage)
                ELSE [e.stage] END
    FROM chains c
    JOIN logs l ON l.log_id = c.log_id
    JOIN hops h ON h.log_id = c.log_id AND h.from_step = c.step
    JOIN entries e ON e.log_id = c.log_id AND e.entity = c.entity
                  AND e.stage = h.to_step                   -- the next matched step
                  AND e.ts >= c.t                           -- no earlier than the previous match (ties: any order)
                  AND e.ts - c.a <= l.window_seconds        -- within a + W, inclusive (a difference: no overflow)
    JOIN seconds s ON s.log_id = c.log_id AND s.entity = c.entity AND s.ts = c.t
    LEFT JOIN steps w ON w.log_id = c.log_id AND w.step = e.stage
    WHERE (w.window_seconds IS NULL OR e.ts - c.t <= w.window_seconds)   -- the step's own window, inclusive
      AND (l.step_order = 'ordered'                         -- ordered: anything may happen in between
           OR e.ts = c.t                                    -- strict: a tie with the previous match
           OR (e.ts = s.next_ts                             -- or the entity's next second, and second t is
               AND (c.t = c.a                               --   the anchor's (a boundary: never breaks) or
                    OR (NOT s.has_loss AND s.stages = c.run))))   -- holds exactly the chain's entries, once each
),
unordered_anchors AS (
    SELECT DISTINCT e.log_id, e.entity, e.ts AS a           -- rule 10: any stage's entry anchors
    FROM entries e
    JOIN logs l USING (log_id)
    WHERE l.step_order = 'unordered'
),
unordered_firsts AS (
    SELECT u.log_id, u.entity, u.a, e.stage, min(e.ts) AS t -- each stage's first entry within [a, a + W]
    FROM unordered_anchors u
    JOIN logs l ON l.log_id = u.log_id
    JOIN entries e ON e.log_id = u.log_id AND e.entity = u.entity
                  AND e.ts >= u.a AND e.ts - u.a <= l.window_seconds
    GROUP BY u.log_id, u.entity, u.a, e.stage
)
SELECT log_id, entity, a, step, min(t) AS t                 -- T_step: the earliest over the attempt's chains
FROM chains
GROUP BY log_id, entity, a, step
UNION ALL
SELECT log_id, entity, a,
       CAST(row_number() OVER (PARTITION BY log_id, entity, a ORDER BY t, stage) - 1 AS INTEGER) AS step,
       t                                                    -- T_k: the (k+1)-th first entry time
FROM unordered_firsts;

CREATE OR REPLACE TABLE attempts AS
SELECT log_id, entity, a, max(step) + 1 AS level            -- the longest chain's last matched step + 1
FROM attempt_steps
GROUP BY log_id, entity, a;
