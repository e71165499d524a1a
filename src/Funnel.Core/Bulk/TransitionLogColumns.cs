namespace Funnel.Core.Bulk;

/// <summary>
/// The names of the five columns a columnar file (Parquet, Arrow IPC) is mapped by, with the same names and defaults
/// as <see cref="TransitionLogCsvOptions"/>. A name matches a top-level column exactly, or else the one column whose
/// name matches ignoring case. Shared by the format packages (<c>Funnel.Formats.Parquet</c>, <c>Funnel.Formats.Arrow</c>).
/// </summary>
/// <remarks>Instances are immutable once constructed (init-only properties) and thread-safe.</remarks>
public sealed class TransitionLogColumns
{
    /// <summary>Gets the default names: <c>entity</c>, <c>stage</c>, <c>timestamp</c>, <c>loss_reason</c>, <c>segment</c>.</summary>
    public static TransitionLogColumns Default { get; } = new();

    /// <summary>Gets the name of the entity column (required; an integer or string column, interned to dense ids).</summary>
    /// <value>Default <c>entity</c>.</value>
    public string EntityColumn { get; init; } = "entity";

    /// <summary>Gets the name of the stage column (required; a string column of stage keys, or an integer column of stage ordinals).</summary>
    /// <value>Default <c>stage</c>.</value>
    public string StageColumn { get; init; } = "stage";

    /// <summary>Gets the name of the timestamp column (required; an integer column of Unix seconds, or a timestamp column of any unit).</summary>
    /// <value>Default <c>timestamp</c>.</value>
    public string TimestampColumn { get; init; } = "timestamp";

    /// <summary>Gets the name of the loss-reason column (optional; null, empty or -1 for an entry event, else a loss-reason key or ordinal).</summary>
    /// <value>Default <c>loss_reason</c>.</value>
    public string LossReasonColumn { get; init; } = "loss_reason";

    /// <summary>Gets the name of the segment column (optional; an integer or string column, interned to segment codes exactly as stored; null or empty for none).</summary>
    /// <value>Default <c>segment</c>.</value>
    public string SegmentColumn { get; init; } = "segment";
}
