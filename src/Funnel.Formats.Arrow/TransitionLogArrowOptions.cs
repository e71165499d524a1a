using Funnel.Core.Bulk;

namespace Funnel.Formats.Arrow;

/// <summary>
/// How <see cref="TransitionLogArrowReader"/> maps the columns of an Arrow IPC file or stream: the names of the five columns, with
/// the same names and defaults as <see cref="TransitionLogCsvOptions"/>. A name matches a top-level column exactly,
/// or else the one column whose name matches ignoring case.
/// </summary>
/// <remarks>Instances are immutable once constructed (init-only properties) and thread-safe.</remarks>
public sealed class TransitionLogArrowOptions
{
    /// <summary>Gets the default options.</summary>
    public static TransitionLogArrowOptions Default { get; } = new();

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

    internal ColumnNames ToColumnNames()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(EntityColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(StageColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(TimestampColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(LossReasonColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(SegmentColumn);
        return new ColumnNames(EntityColumn, StageColumn, TimestampColumn, LossReasonColumn, SegmentColumn);
    }
}
