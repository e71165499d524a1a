using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// The names of the five columns a columnar file (Parquet, Arrow IPC) is mapped by, with the same names, defaults,
/// alternatives and <see cref="CommonNames"/> as <see cref="TransitionLogCsvOptions"/>. A name matches a top-level
/// column exactly, or else the one column whose name matches ignoring case; of a column's name and its alternatives,
/// the first (in that order) that the file has is the column. Shared by the format packages (<c>Funnel.Formats.Parquet</c>, <c>Funnel.Formats.Arrow</c>).
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

    /// <summary>
    /// Gets the column names of the command-line tool's event logs and of common CRM and analytics exports, the same as
    /// <see cref="TransitionLogCsvOptions.CommonNames"/>: the entity column <c>entity</c>, <c>entity_id</c>, <c>lead</c>
    /// or <c>lead_id</c>; <c>stage</c>; the timestamp column <c>timestamp</c>, <c>at</c> or <c>time</c>; the
    /// loss-reason column <c>loss_reason</c> or <c>reason</c>; the segment column <c>source</c>, <c>segment</c> or
    /// <c>channel</c>.
    /// </summary>
    public static TransitionLogColumns CommonNames { get; } = new()
    {
        EntityColumn = TransitionLogCsvOptions.CommonNames.EntityColumn,
        StageColumn = TransitionLogCsvOptions.CommonNames.StageColumn,
        TimestampColumn = TransitionLogCsvOptions.CommonNames.TimestampColumn,
        LossReasonColumn = TransitionLogCsvOptions.CommonNames.LossReasonColumn,
        SegmentColumn = TransitionLogCsvOptions.CommonNames.SegmentColumn,
        EntityColumnAlternatives = TransitionLogCsvOptions.CommonNames.EntityColumnAlternatives,
        StageColumnAlternatives = TransitionLogCsvOptions.CommonNames.StageColumnAlternatives,
        TimestampColumnAlternatives = TransitionLogCsvOptions.CommonNames.TimestampColumnAlternatives,
        LossReasonColumnAlternatives = TransitionLogCsvOptions.CommonNames.LossReasonColumnAlternatives,
        SegmentColumnAlternatives = TransitionLogCsvOptions.CommonNames.SegmentColumnAlternatives,
    };

    /// <summary>
    /// Gets other names accepted for the entity column (each matched like <see cref="EntityColumn"/>), tried in order
    /// after it; the first that the file has is the column. The same holds for the alternatives of the other columns.
    /// </summary>
    /// <value>Default empty: only <see cref="EntityColumn"/>.</value>
    public ImmutableArray<string> EntityColumnAlternatives { get; init; } = [];

    /// <summary>Gets other names accepted for the stage column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="StageColumn"/>.</value>
    public ImmutableArray<string> StageColumnAlternatives { get; init; } = [];

    /// <summary>Gets other names accepted for the timestamp column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="TimestampColumn"/>.</value>
    public ImmutableArray<string> TimestampColumnAlternatives { get; init; } = [];

    /// <summary>Gets other names accepted for the loss-reason column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="LossReasonColumn"/>.</value>
    public ImmutableArray<string> LossReasonColumnAlternatives { get; init; } = [];

    /// <summary>Gets other names accepted for the segment column (see <see cref="EntityColumnAlternatives"/>); <see cref="TransitionLogReadResult.SegmentColumn"/> says which one a file had.</summary>
    /// <value>Default empty: only <see cref="SegmentColumn"/>.</value>
    public ImmutableArray<string> SegmentColumnAlternatives { get; init; } = [];
}
