-- Rule 7: EventCount and EntityCount (distinct entities) per log; a log without events counts 0 and 0.
SELECT l.log_id,
       count(e.pos)              AS events,
       count(DISTINCT e.entity)  AS entities
FROM logs l
LEFT JOIN events e USING (log_id)
GROUP BY l.log_id
ORDER BY l.log_id;
