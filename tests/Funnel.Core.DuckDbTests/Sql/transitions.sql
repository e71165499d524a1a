-- Rule 3: the transition matrix, (n+1) x (n+1). Every consecutive pair (a, b) of an entity in the order of rule 1
-- counts once at [row(a), column(b)], where a loss is row / column n and an entry is its stage (events.idx).
-- Pairs after the goal and after a loss count too, so the matrix totals events - entities.
SELECT log_id,
       prev_idx AS from_idx,   -- a: the entity's previous event
       idx      AS to_idx,     -- b: this event
       count(*) AS pairs
FROM events
WHERE prev_idx IS NOT NULL     -- the entity's first event ends no pair
GROUP BY log_id, prev_idx, idx
ORDER BY log_id, from_idx, to_idx;
