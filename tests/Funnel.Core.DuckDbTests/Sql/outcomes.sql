-- Rule 6: outcomes, by each entity's last event in the order of rule 1:
--   a loss                      -> 'lost'
--   an entry at stage >= goal   -> 'won'
--   an entry at stage s < goal  -> 'open', s (OpenAt[s])
-- Every entity has exactly one last event, so won + lost + sum(open) = entities.
SELECT e.log_id,
       CASE WHEN e.is_loss        THEN 'lost'
            WHEN e.stage >= l.goal THEN 'won'
            ELSE 'open' END                                        AS kind,
       CASE WHEN NOT e.is_loss AND e.stage < l.goal THEN e.stage END AS stage,
       count(*)                                                    AS entities
FROM events e
JOIN logs l USING (log_id)
WHERE e.is_last
GROUP BY ALL
ORDER BY ALL;
