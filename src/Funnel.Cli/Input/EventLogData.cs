using System.Collections.Immutable;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>An event log read from a file: the columnar log plus the names behind its codes, and the bad rows.</summary>
internal sealed class EventLogData
{
    /// <summary>The name the reports give the rows bad as a whole (wrong field count, empty, an unclosed quote): <see cref="ColumnErrorCount.Column"/> null.</summary>
    public const string WholeRow = "(whole row)";

    public required TransitionLog Log { get; init; }

    /// <summary>Gets the entity key of every dense entity id (for a CSV file, a view that makes each key when read: millions of key strings would double the memory of a big log).</summary>
    public required IReadOnlyList<string> EntityKeys { get; init; }

    /// <summary>Gets the segment name of every segment code.</summary>
    public required ImmutableArray<string> SegmentNames { get; init; }

    /// <summary>Gets the header name of the segment column (such as <c>source</c>), or null when the log has none.</summary>
    public string? SegmentColumn { get; init; }

    /// <summary>Gets the number of data rows read (good and bad).</summary>
    public long RowsRead { get; init; }

    /// <summary>Gets the number of bad rows skipped.</summary>
    public long BadRows { get; init; }

    /// <summary>Gets the bad rows of a CSV file, in file order (empty for other formats).</summary>
    public ImmutableArray<CsvRowError> CsvErrors { get; init; } = [];

    /// <summary>Gets the bad rows of a Parquet or Arrow file, in file order (empty for other formats).</summary>
    public ImmutableArray<TransitionLogRowError> ColumnarErrors { get; init; } = [];

    /// <summary>Gets the library's counts of the bad rows by the column at fault.</summary>
    public ImmutableArray<ColumnErrorCount> ErrorCountsByColumn { get; init; } = [];

    /// <summary>Gets the unknown stage and loss-reason values of the bad rows, the most frequent first.</summary>
    public ImmutableArray<UnknownKey> UnknownKeys { get; init; } = [];

    /// <summary>Gets the bad rows by the column at fault (<see cref="WholeRow"/> for a row bad as a whole), the most frequent first.</summary>
    public ImmutableArray<(string Column, long Rows)> BadRowsByColumn => [.. ErrorCountsByColumn.Select(c => (c.Column ?? WholeRow, c.Rows))];

    /// <summary>Gets the time spent reading, in seconds.</summary>
    public double ReadSeconds { get; init; }
}
