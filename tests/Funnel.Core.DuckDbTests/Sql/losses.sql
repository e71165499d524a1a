-- Rule 5: losses, by what came before the loss event b (order of rule 1). b's own stage column is ignored.
--   b is the entity's first event            -> 'unknown'    (LossesAtUnknownStage[reason])
--   the previous event a is a loss           -> 'after_loss' (LossesAfterLoss[reason])
--   the previous event a is an entry at s    -> 'stage', s   (Losses[s, reason])
SELECT log_id,
       CASE WHEN prev_ts IS NULL THEN 'unknown'
            WHEN prev_is_loss     THEN 'after_loss'
            ELSE 'stage' END                                            AS kind,
       CASE WHEN prev_ts IS NOT NULL AND NOT prev_is_loss THEN prev_stage END AS stage,
       reason,
       count(*)                                                         AS losses
FROM events
WHERE is_loss
GROUP BY ALL
ORDER BY ALL;
