-- Rule 13: the interpolated median of time in stage (docs/bulk.md; Median = MedianKind.Interpolated). The stays are
-- rule 4's, as in time_in_stage.sql: every consecutive pair (a, b) of an entity (order of rule 1) is one stay of
-- b.ts - a.ts seconds in row(a); rows 0..n-1 are the stages, row n the time after a loss. Rows without a stay are
-- absent here (median 0).
--
-- Rule 13: with an even number of stays the median is the mean of the two middle ones ({3600, 7200} -> 5400), with
-- an odd number the middle one. Computed by DuckDB's own continuous quantile, not from time_in_stage.sql's lower
-- median: the durations are at most ~3.2e11 s (years 1 to 9999), so as doubles they and their halves are exact.
SELECT log_id,
       prev_idx AS idx,
       quantile_cont(CAST(ts - prev_ts AS DOUBLE), 0.5) AS median_seconds
FROM events
WHERE prev_ts IS NOT NULL
GROUP BY log_id, prev_idx
ORDER BY log_id, idx;
