-- Reached and Excluded under the log's funnel modes (docs/bulk.md rules 8-12), from counted.sql's tables. Rows
-- (kind, log_id, stage, entities):
--   'reached', s   Reached[s]: the entities whose counted attempt is not dropped and, for a required step s, has a
--                  level above s, or, for an optional step s (rule 12), matched s (has a reach time T_s)
--   'excluded'     Excluded: the entities dropped by exclusions (rule 11)
-- Unordered (rule 10): "stage" s is "s + 1 distinct stages", and no step is optional.
WITH stages AS (
    SELECT log_id, CAST(unnest(range(stage_count)) AS INTEGER) AS step
    FROM logs
)
SELECT 'reached' AS kind, c.log_id, s.step AS stage, count(*) AS entities
FROM counted c
JOIN stages s ON s.log_id = c.log_id
LEFT JOIN optional o ON o.log_id = s.log_id AND o.step = s.step
WHERE NOT c.excluded
  AND CASE WHEN o.step IS NULL THEN s.step < c.level
           ELSE EXISTS (SELECT 1 FROM attempt_steps x
                        WHERE x.log_id = c.log_id AND x.entity = c.entity AND x.a = c.a AND x.step = s.step) END
GROUP BY c.log_id, s.step
UNION ALL
SELECT 'excluded', log_id, NULL, count(*)
FROM counted
WHERE excluded
GROUP BY log_id
ORDER BY ALL;
