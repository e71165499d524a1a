-- The time-to-convert histograms (docs/metrics.md "Time to convert"; DurationHistogram), per step k >= 1 and kind
-- ('anchor', 'previous'), from counted.sql's durations. Rows (log_id, step, kind, bin, from_seconds, to_seconds,
-- count), bins numbered in ascending order; NULL edges are open (minus or plus infinity).
--
-- Automatic (a log without bin_edges rows): none for no value; else b = min(20, ceil(log2 n) + 1) bins (1 for
-- n = 1), of the smallest width w of the ladder 1 s, 5 s, 15 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 6 h,
-- 12 h, 1 d, 2 d, 7 d, 14 d, 30 d, 90 d, 365 d with min + b * w > max, else the smallest multiple m >= 2 of 365 d
-- with min + b * m * 365 d > max. The first bin starts at min rounded down to a multiple of w; bins [from, from + w)
-- follow up to the one holding max (none after it; empty ones between are kept).
-- Explicit edges e_0 < ... < e_m: [e_0, e_1), ..., [e_m, infinity), preceded by (-infinity, e_0) only when a value
-- lies below e_0; empty bins are kept, also for a step no entity reached.
WITH
ladder (w) AS (
    VALUES (1), (5), (15), (30), (60), (300), (900), (1800), (3600), (7200), (21600), (43200), (86400),
           (172800), (604800), (1209600), (2592000), (7776000), (31536000)
),
automatic AS (
    SELECT log_id, step, kind, count(*) AS n, min(d) AS lo, max(d) AS hi,
           CASE WHEN count(*) = 1 THEN 1
                ELSE least(20, CAST(ceil(log2(count(*))) AS BIGINT) + 1) END AS b
    FROM durations
    WHERE log_id NOT IN (SELECT log_id FROM bin_edges)
    GROUP BY log_id, step, kind
),
widths AS (
    SELECT a.log_id, a.step, a.kind, a.lo, a.hi,
           coalesce(min(l.w), greatest(2, (a.hi - a.lo) // (a.b * 31536000) + 1) * 31536000) AS w
    FROM automatic a
    LEFT JOIN ladder l ON CAST(a.lo AS HUGEINT) + a.b * l.w > a.hi
    GROUP BY a.log_id, a.step, a.kind, a.lo, a.hi, a.b
),
automatic_bins AS (
    SELECT log_id, step, kind, i AS bin, (lo // w) * w + i * w AS from_seconds, (lo // w) * w + (i + 1) * w AS to_seconds
    FROM (SELECT *, unnest(range(0, (hi - (lo // w) * w) // w + 1)) AS i FROM widths)
),
grid AS (
    -- Every step and kind of the logs with explicit edges.
    SELECT l.log_id, k.step, kinds.kind
    FROM logs l
    JOIN (SELECT log_id, CAST(unnest(range(1, stage_count)) AS INTEGER) AS step FROM logs) k ON k.log_id = l.log_id
    CROSS JOIN (VALUES ('anchor'), ('previous')) kinds (kind)
    WHERE l.log_id IN (SELECT log_id FROM bin_edges)
),
explicit_bins AS (
    SELECT g.log_id, g.step, g.kind, e.edge_index AS bin, e.edge AS from_seconds,
           lead(e.edge) OVER (PARTITION BY g.log_id, g.step, g.kind ORDER BY e.edge_index) AS to_seconds
    FROM grid g
    JOIN bin_edges e ON e.log_id = g.log_id
    UNION ALL
    SELECT g.log_id, g.step, g.kind, -1, NULL, e.edge
    FROM grid g
    JOIN bin_edges e ON e.log_id = g.log_id AND e.edge_index = 0
    WHERE EXISTS (SELECT 1 FROM durations s WHERE s.log_id = g.log_id AND s.step = g.step AND s.kind = g.kind AND s.d < e.edge)
),
bins AS (
    SELECT * FROM automatic_bins
    UNION ALL
    SELECT * FROM explicit_bins
)
SELECT b.log_id, b.step, b.kind, b.bin, b.from_seconds, b.to_seconds,
       count(s.d) AS count
FROM bins b
LEFT JOIN durations s ON s.log_id = b.log_id AND s.step = b.step AND s.kind = b.kind
                   AND (b.from_seconds IS NULL OR s.d >= b.from_seconds)
                   AND (b.to_seconds IS NULL OR s.d < b.to_seconds)
GROUP BY ALL
ORDER BY b.log_id, b.step, b.kind, b.bin;
