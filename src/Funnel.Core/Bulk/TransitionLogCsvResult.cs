using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// What <see cref="TransitionLogCsvReader"/> read from a CSV file (or one chunk of it): the log of the valid rows,
/// in file order, and every rejected row with its line number and reason. Nothing is dropped silently:
/// <see cref="RowsRead"/> = <see cref="RowsKept"/> + <see cref="RowsRejected"/>.
/// </summary>
/// <remarks>
/// The log, errors and counts are immutable and thread-safe. <see cref="Entities"/> and <see cref="Segments"/> are
/// the interners of the reader that read the rows: for a chunk they also hold the keys of earlier chunks, and
/// later chunks add to them; like every <see cref="EntityInterner{TKey}"/> they are not thread-safe.
/// </remarks>
public sealed class TransitionLogCsvResult
{
    private readonly Lazy<ImmutableArray<ColumnErrorCount>> _byColumn;
    private readonly Lazy<ImmutableArray<UnknownKey>> _unknownKeys;

    internal TransitionLogCsvResult(TransitionLog log, ImmutableArray<CsvRowError> errors, long rowsRead, EntityInterner<string> entities, EntityInterner<string> segments)
    {
        Log = log;
        Errors = errors;
        RowsRead = rowsRead;
        Entities = entities;
        Segments = segments;
        _byColumn = new(() => RowErrorSummary.ByColumn(Errors, e => e.Column));
        _unknownKeys = new(() => RowErrorSummary.UnknownKeys(Errors, e => e.Kind, e => e.Value));
    }

    /// <summary>Gets the log of the valid rows, in file order.</summary>
    public TransitionLog Log { get; }

    /// <summary>Gets the entity keys: the entity id of a row in <see cref="Log"/> is the index of its key.</summary>
    public EntityInterner<string> Entities { get; }

    /// <summary>Gets the segment keys: the segment code of a row in <see cref="Log"/> is the index of its key.</summary>
    public EntityInterner<string> Segments { get; }

    /// <summary>
    /// Gets the segment column's name as the header wrote it (<see cref="TransitionLogCsvOptions.SegmentColumn"/> or
    /// one of its <see cref="TransitionLogCsvOptions.SegmentColumnAlternatives"/>, in the file's spelling), or
    /// <see langword="null"/> when the file has no segment column.
    /// </summary>
    public string? SegmentColumn { get; internal init; }

    /// <summary>Gets every rejected row, in file order.</summary>
    public ImmutableArray<CsvRowError> Errors { get; }

    /// <summary>
    /// Gets the rejected rows counted by the column at fault, the most frequent first (then by name), with the rows
    /// bad as a whole (and fields beyond the header) under a <see langword="null"/> column: every rejected row counted
    /// once, so the counts add up to <see cref="RowsRejected"/>. Computed on first use.
    /// </summary>
    public ImmutableArray<ColumnErrorCount> ErrorCountsByColumn => _byColumn.Value;

    /// <summary>
    /// Gets each distinct stage and loss-reason value that rows were rejected for (<see cref="RowErrorKind.UnknownStage"/>,
    /// <see cref="RowErrorKind.UnknownLossReason"/>) with its number of rows, the most frequent first (then by value):
    /// at most 10,000 values, the most frequent. <see cref="UnknownKey.Suggest"/> gives the key of the definition a
    /// value most likely means, for a "did you mean" hint. Computed on first use.
    /// </summary>
    public ImmutableArray<UnknownKey> UnknownKeys => _unknownKeys.Value;

    /// <summary>Gets the number of data rows read (the header is not a data row).</summary>
    public long RowsRead { get; }

    /// <summary>Gets the number of rows kept in <see cref="Log"/>.</summary>
    public long RowsKept => Log.Count;

    /// <summary>Gets the number of rows rejected (one error per rejected row).</summary>
    public long RowsRejected => Errors.Length;

    /// <summary>Gets a value indicating whether every row was kept.</summary>
    public bool IsClean => Errors.IsEmpty;
}
