-- Loads the logs the test wrote and orders every entity's events (SEMANTICS.md rule 1). Every metric file reads
-- the two tables made here; nothing else is shared between them.
--
-- {logs_csv}, {steps_csv}, {events_csv}, {keyed_events_csv}, {optional_csv}, {exclusions_csv} and {bin_edges_csv}
-- are replaced by the paths of the CSV files (single quotes doubled). Several logs travel in one set of files, told
-- apart by log_id; every query groups by it.

-- One row per log: the funnel it is analysed with (n stages, goal g, r loss reasons, window W seconds, whether it
-- has per-step windows) and its funnel modes (docs/bulk.md rules 8-10): anchor 'first', 'latest' or 'best';
-- step_order 'ordered', 'strict' or 'unordered'. Only attempts.sql reads the modes.
CREATE TABLE logs AS
SELECT *
FROM read_csv('{logs_csv}', header = true, auto_detect = false,
              columns = {'log_id': 'INTEGER', 'stage_count': 'INTEGER', 'goal': 'INTEGER',
                         'reason_count': 'INTEGER', 'window_seconds': 'BIGINT', 'has_step_windows': 'BOOLEAN',
                         'anchor': 'VARCHAR', 'step_order': 'VARCHAR'});

-- Rule 12: the optional steps of a log, one row each.
CREATE TABLE optional AS
SELECT *
FROM read_csv('{optional_csv}', header = true, auto_detect = false,
              columns = {'log_id': 'INTEGER', 'step': 'INTEGER'});

-- Rule 11: the exclusions of a log, between steps from_step < to_step; the target is an entry into `stage`
-- (is_loss false) or a loss of `reason` (NULL: of any reason).
CREATE TABLE exclusions AS
SELECT *
FROM read_csv('{exclusions_csv}', header = true, auto_detect = false,
              columns = {'log_id': 'INTEGER', 'from_step': 'INTEGER', 'to_step': 'INTEGER', 'is_loss': 'BOOLEAN',
                         'stage': 'INTEGER', 'reason': 'INTEGER'});

-- Time to convert: explicit histogram bin edges in seconds (edge_index 0..m, ascending); a log without rows has
-- automatic bins.
CREATE TABLE bin_edges AS
SELECT *
FROM read_csv('{bin_edges_csv}', header = true, auto_detect = false,
              columns = {'log_id': 'INTEGER', 'edge_index': 'INTEGER', 'edge': 'BIGINT'});

-- Per-step windows (issue 14 rule 7), only for logs that have them: step k (stage k-1 to k) must happen within
-- window_seconds of the matched entry into stage k-1. A step without a row has no limit of its own.
CREATE TABLE steps AS
SELECT *
FROM read_csv('{steps_csv}', header = true, auto_detect = false,
              columns = {'log_id': 'INTEGER', 'step': 'INTEGER', 'window_seconds': 'BIGINT'});

-- One row per event. pos = the 0-based position of the row in its log's input; reason = -1 for an entry event,
-- 0..r-1 for a loss event. The logs of keyed_events.csv name each row's entity by its key text (docs/bulk.md,
-- "Keys": exact strings, case-sensitive, no trimming): rows with the same text, byte for byte, are one entity,
-- numbered here in the keys' sort order (any numbering does; only the grouping matters).
CREATE TABLE events AS
WITH input AS (
    SELECT *
    FROM read_csv('{events_csv}', header = true, auto_detect = false,
                  columns = {'log_id': 'INTEGER', 'pos': 'BIGINT', 'entity': 'INTEGER', 'stage': 'INTEGER',
                             'ts': 'BIGINT', 'reason': 'INTEGER'})
    UNION ALL
    SELECT log_id, pos,
           CAST(dense_rank() OVER (PARTITION BY log_id ORDER BY entity_key) AS INTEGER) AS entity,
           stage, ts, reason
    FROM read_csv('{keyed_events_csv}', header = true, auto_detect = false, quote = '"', escape = '"',
                  columns = {'log_id': 'INTEGER', 'pos': 'BIGINT', 'entity_key': 'VARCHAR', 'stage': 'INTEGER',
                             'ts': 'BIGINT', 'reason': 'INTEGER'})
),
indexed AS (
    SELECT i.*,
           -- Rule 5: an event is a loss when it has a reason; otherwise it is an entry into its stage.
           i.reason >= 0 AS is_loss,
           -- Rules 3 and 4: the row / column of the transition matrix and of time in stage: a loss is row/column n
           -- ("Lost"), whatever its own stage column says; an entry is its stage.
           CASE WHEN i.reason >= 0 THEN l.stage_count ELSE i.stage END AS idx
    FROM input i
    JOIN logs l USING (log_id)
)
SELECT *,
       -- Rule 1: per entity, events in order of timestamp, ties in input position: the window `entity_order`.
       -- The previous event of the entity (NULL for its first event) and whether this is its last event.
       lag(idx)     OVER entity_order AS prev_idx,
       lag(is_loss) OVER entity_order AS prev_is_loss,
       lag(stage)   OVER entity_order AS prev_stage,
       lag(ts)      OVER entity_order AS prev_ts,
       lead(pos)    OVER entity_order IS NULL AS is_last
FROM indexed
WINDOW entity_order AS (PARTITION BY log_id, entity ORDER BY ts, pos);
