using Funnel.Core.Bulk;

namespace Funnel.Formats;

/// <summary>The names of the five mapped columns, checked once from the public <see cref="TransitionLogColumns"/>.</summary>
internal sealed record ColumnNames(string Entity, string Stage, string Timestamp, string LossReason, string Segment)
{
    /// <summary>Checks and takes the names of <paramref name="columns"/> (<see cref="TransitionLogColumns.Default"/> when null).</summary>
    public static ColumnNames From(TransitionLogColumns? columns)
    {
        columns ??= TransitionLogColumns.Default;
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.EntityColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.StageColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.TimestampColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.LossReasonColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.SegmentColumn);
        return new ColumnNames(columns.EntityColumn, columns.StageColumn, columns.TimestampColumn, columns.LossReasonColumn, columns.SegmentColumn);
    }
}
