-- Time to convert per step k >= 1 (docs/bulk.md "Time to convert", rule 13), from counted.sql's durations: rows
-- (log_id, step, kind, count, total_seconds, lower_median, upper_median, p90, interpolated_median) with kind 'anchor'
-- (T_k - T_0) or 'previous' (T_k - T_p). A step no entity reached has no row (everything 0).
--   total: exact, summed as HUGEINT
--   lower median: element floor((n-1)/2) of the sorted durations, upper median: element floor(n/2) (0-based)
--   p90: nearest rank, element ceil(0.9 n) - 1, with ceil(0.9 n) = (9n + 9) // 10 in integers
--   interpolated median: DuckDB's own continuous quantile (the mean of the two middle values for an even n)
-- DuckDB lists are 1-based, hence the + 1 in the subscripts.
SELECT log_id, step, kind,
       count(*)                                                 AS n,
       sum(CAST(d AS HUGEINT))                                  AS total_seconds,
       list_sort(list(d))[(count(*) - 1) // 2 + 1]              AS lower_median,
       list_sort(list(d))[count(*) // 2 + 1]                    AS upper_median,
       list_sort(list(d))[(9 * count(*) + 9) // 10]             AS p90,
       quantile_cont(CAST(d AS DOUBLE), 0.5)                    AS interpolated_median
FROM durations
GROUP BY log_id, step, kind
ORDER BY ALL;
