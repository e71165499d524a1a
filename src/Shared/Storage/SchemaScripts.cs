namespace Funnel.Storage.Internal;

/// <summary>The schema, version by version. Identity columns differ by database; everything else is shared text.</summary>
internal static class SchemaScripts
{
    /// <summary>Version 1: journeys, history, attributes, attempts, outbox and the event log.</summary>
    /// <param name="identity">The column definition of an auto-numbered 64-bit key (<c>bigserial PRIMARY KEY</c>, <c>INTEGER PRIMARY KEY AUTOINCREMENT</c>).</param>
    /// <param name="eventSequence">The column definition of the event log's append-order number.</param>
    public static string[] Version1(string identity, string eventSequence) =>
    [
        "CREATE TABLE funnel_journeys (id text NOT NULL PRIMARY KEY, funnel_key text NOT NULL, stage text NOT NULL, status integer NOT NULL, " +
        "loss_reason text NULL, entered_ticks bigint NOT NULL, entered_offset integer NOT NULL, changed_ticks bigint NOT NULL, changed_offset integer NOT NULL, " +
        "closed_ticks bigint NULL, closed_offset integer NULL, version bigint NOT NULL)",
        "CREATE INDEX ix_funnel_journeys_stage ON funnel_journeys (funnel_key, stage, status, entered_ticks)",
        "CREATE INDEX ix_funnel_journeys_status ON funnel_journeys (status, funnel_key)",
        "CREATE TABLE funnel_journey_history (journey_id text NOT NULL, seq integer NOT NULL, kind integer NOT NULL, from_stage text NULL, to_stage text NOT NULL, " +
        "at_ticks bigint NOT NULL, at_offset integer NOT NULL, actor text NULL, note text NULL, loss_reason text NULL, PRIMARY KEY (journey_id, seq))",
        "CREATE TABLE funnel_journey_attributes (journey_id text NOT NULL, name text NOT NULL, value text NOT NULL, PRIMARY KEY (journey_id, name))",
        "CREATE INDEX ix_funnel_journey_attributes_value ON funnel_journey_attributes (name, value)",
        "CREATE TABLE funnel_journey_attempts (journey_id text NOT NULL, stage text NOT NULL, attempts integer NOT NULL, PRIMARY KEY (journey_id, stage))",
        "CREATE TABLE funnel_outbox (id " + identity + ", journey_id text NOT NULL, journey_version bigint NOT NULL, type text NOT NULL, payload text NOT NULL, " +
        "created_ticks bigint NOT NULL, created_offset integer NOT NULL, acked_ticks bigint NULL, acked_offset integer NULL)",
        "CREATE INDEX ix_funnel_outbox_pending ON funnel_outbox (id) WHERE acked_ticks IS NULL",
        "CREATE TABLE funnel_events (seq " + eventSequence + ", funnel_key text NOT NULL, entity_id text NOT NULL, stage integer NOT NULL, at bigint NOT NULL, " +
        "reason integer NULL, segment text NULL)",
        "CREATE INDEX ix_funnel_events_log ON funnel_events (funnel_key, seq)",
    ];

    /// <summary>
    /// Version 2: the audit of a forced change in the history (<c>forced_by</c>, <c>forced_reason</c>,
    /// <c>forced_overridden</c>; <c>NULL</c> in every row written before, which are ordinary changes), and the
    /// database's own form of the attribute lookup index.
    /// </summary>
    /// <param name="attributeIndex">Statements that replace the version 1 index on (name, value) where the database needs another one; may be empty.</param>
    public static string[] Version2(params string[] attributeIndex) =>
    [
        "ALTER TABLE funnel_journey_history ADD COLUMN forced_by text NULL",
        "ALTER TABLE funnel_journey_history ADD COLUMN forced_reason text NULL",
        "ALTER TABLE funnel_journey_history ADD COLUMN forced_overridden text NULL",
        .. attributeIndex,
    ];

    /// <summary>
    /// Version 3: the delivery state of outbox messages, for the hosted dispatcher: failed attempts, the last error,
    /// the earliest next attempt and the parking time; an index on the messages still to deliver.
    /// </summary>
    public static string[] Version3() =>
    [
        "ALTER TABLE funnel_outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0",
        "ALTER TABLE funnel_outbox ADD COLUMN last_error text NULL",
        "ALTER TABLE funnel_outbox ADD COLUMN next_attempt_ticks bigint NULL",
        "ALTER TABLE funnel_outbox ADD COLUMN next_attempt_offset integer NULL",
        "ALTER TABLE funnel_outbox ADD COLUMN parked_ticks bigint NULL",
        "ALTER TABLE funnel_outbox ADD COLUMN parked_offset integer NULL",
        "CREATE INDEX ix_funnel_outbox_deliverable ON funnel_outbox (id) WHERE acked_ticks IS NULL AND parked_ticks IS NULL",
    ];
}
