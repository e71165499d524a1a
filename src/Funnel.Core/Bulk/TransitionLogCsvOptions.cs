using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// How <see cref="TransitionLogCsvReader"/> reads (and <see cref="TransitionLogCsvWriter"/> writes) a CSV event
/// log: the header names of the columns (matched ignoring case) and the other names accepted for them, the delimiter,
/// the chunk size and the longest row.
/// </summary>
/// <remarks>Instances are immutable once constructed (init-only properties) and thread-safe.</remarks>
public sealed class TransitionLogCsvOptions
{
    /// <summary>Gets the default options.</summary>
    public static TransitionLogCsvOptions Default { get; } = new();

    /// <summary>Gets the header of the entity column (required; any text, interned to dense ids).</summary>
    /// <value>Default <c>entity</c>.</value>
    public string EntityColumn { get; init; } = "entity";

    /// <summary>Gets the header of the stage column (required; a stage key of the definition or a stage ordinal).</summary>
    /// <value>Default <c>stage</c>.</value>
    public string StageColumn { get; init; } = "stage";

    /// <summary>
    /// Gets the header of the timestamp column (required): integer or fractional Unix seconds (floored), or an ISO 8601
    /// date and time (<c>T</c> or a space between date and time; <c>Z</c>, an offset, a trailing <c> UTC</c> or
    /// nothing, which means UTC); see <see cref="TimestampUnit"/> and <see cref="TimestampFormat"/> for other forms.
    /// </summary>
    /// <value>Default <c>timestamp</c>.</value>
    public string TimestampColumn { get; init; } = "timestamp";

    /// <summary>Gets the header of the loss-reason column (optional; empty for an entry event, else a loss-reason key or ordinal).</summary>
    /// <value>Default <c>loss_reason</c>.</value>
    public string LossReasonColumn { get; init; } = "loss_reason";

    /// <summary>Gets the header of the segment column (optional; any text, interned to segment codes; empty for none).</summary>
    /// <value>Default <c>segment</c>.</value>
    public string SegmentColumn { get; init; } = "segment";

    /// <summary>
    /// Gets the header names of the command-line tool's event logs and of common CRM and analytics exports: the entity
    /// column <c>entity</c>, <c>entity_id</c>, <c>lead</c> or <c>lead_id</c>; <c>stage</c>; the timestamp column
    /// <c>timestamp</c>, <c>at</c> or <c>time</c>; the loss-reason column <c>loss_reason</c> or <c>reason</c>; the
    /// segment column <c>source</c>, <c>segment</c> or <c>channel</c>. The other settings are the defaults.
    /// </summary>
    public static TransitionLogCsvOptions CommonNames { get; } = new()
    {
        EntityColumnAlternatives = ["entity_id", "lead", "lead_id"],
        TimestampColumnAlternatives = ["at", "time"],
        LossReasonColumnAlternatives = ["reason"],
        SegmentColumn = "source",
        SegmentColumnAlternatives = ["segment", "channel"],
    };

    /// <summary>
    /// Gets other header names accepted for the entity column (matched ignoring case, like <see cref="EntityColumn"/>).
    /// Of the header fields that name a column by any of its names, the first one (from the left) is the column; the
    /// others are extra columns and ignored. The same holds for the alternatives of the other columns.
    /// </summary>
    /// <value>Default empty: only <see cref="EntityColumn"/>.</value>
    public ImmutableArray<string> EntityColumnAlternatives { get; init; } = [];

    /// <summary>Gets other header names accepted for the stage column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="StageColumn"/>.</value>
    public ImmutableArray<string> StageColumnAlternatives { get; init; } = [];

    /// <summary>Gets other header names accepted for the timestamp column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="TimestampColumn"/>.</value>
    public ImmutableArray<string> TimestampColumnAlternatives { get; init; } = [];

    /// <summary>Gets other header names accepted for the loss-reason column (see <see cref="EntityColumnAlternatives"/>).</summary>
    /// <value>Default empty: only <see cref="LossReasonColumn"/>.</value>
    public ImmutableArray<string> LossReasonColumnAlternatives { get; init; } = [];

    /// <summary>Gets other header names accepted for the segment column (see <see cref="EntityColumnAlternatives"/>); <see cref="TransitionLogCsvResult.SegmentColumn"/> says which one a file had.</summary>
    /// <value>Default empty: only <see cref="SegmentColumn"/>.</value>
    public ImmutableArray<string> SegmentColumnAlternatives { get; init; } = [];

    /// <summary>Gets the field delimiter; not a quote, CR or LF.</summary>
    /// <value>Default <c>','</c>.</value>
    public char Delimiter { get; init; } = ',';

    /// <summary>Gets the number of data rows per chunk when reading in chunks.</summary>
    /// <value>Default 1,048,576.</value>
    public int ChunkRows { get; init; } = 1 << 20;

    /// <summary>
    /// Gets the most characters a data row may have, quotes and delimiters included. A longer row is rejected, so a
    /// quote that is never closed (which would otherwise make one row of the rest of the text) costs bounded memory.
    /// </summary>
    /// <value>Default 1,048,576.</value>
    public int MaxRowLength { get; init; } = 1 << 20;

    /// <summary>
    /// Gets the unit of integer and fractional Unix timestamps. Milliseconds and microseconds are never guessed: a
    /// 13-digit value read as seconds is outside the years 1 to 9999, and its row error names this option.
    /// ISO 8601 text is read the same way whatever the unit.
    /// </summary>
    /// <value>Default <see cref="CsvTimestampUnit.Seconds"/>.</value>
    public CsvTimestampUnit TimestampUnit { get; init; } = CsvTimestampUnit.Seconds;

    /// <summary>
    /// Gets the one format every timestamp must have, in .NET custom date and time format notation (for example
    /// <c>dd-MM-yyyy HH:mm</c>), parsed exactly with the invariant culture; UTC unless the format has an offset
    /// (<c>zzz</c>); sub-seconds dropped. When set, only this format is accepted (no Unix numbers, no ISO 8601), so
    /// a day-first export is never read month-first.
    /// </summary>
    /// <value>Default <see langword="null"/>: Unix numbers (<see cref="TimestampUnit"/>) and ISO 8601.</value>
    public string? TimestampFormat { get; init; }
}
