-- Rule 4: time in stage. Every consecutive pair (a, b) of an entity (order of rule 1) is one stay of
-- b.ts - a.ts seconds in row(a), the same row as the transition matrix: rows 0..n-1 are the stages (TimeInStage),
-- row n is the time from a loss to the entity's next event (TimeAfterLoss). Rows without a stay are absent here
-- (count 0, total 0, median 0).
SELECT log_id,
       prev_idx AS idx,
       count(*) AS stays,
       -- TotalSeconds exact: summed as HUGEINT (128-bit), so 130-year gaps and totals past 2^63 do not overflow.
       sum(CAST(ts AS HUGEINT) - prev_ts) AS total_seconds,
       -- MedianSeconds: the lower median, element (count-1)/2 (0-based) of the sorted durations; DuckDB lists are
       -- 1-based, hence + 1.
       list_sort(list(ts - prev_ts))[(count(*) - 1) // 2 + 1] AS median_seconds
FROM events
WHERE prev_ts IS NOT NULL
GROUP BY log_id, prev_idx
ORDER BY log_id, idx;
