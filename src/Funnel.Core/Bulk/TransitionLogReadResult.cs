using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// What a columnar reader (<c>TransitionLogParquetReader</c>, <c>TransitionLogArrowReader</c>) read from a file: the log
/// of the valid rows in file order, the keys behind its entity ids and segment codes, and every rejected row with its
/// index and reason. Nothing is dropped silently: <see cref="RowsRead"/> = <see cref="RowsKept"/> + <see cref="RowsRejected"/>.
/// </summary>
/// <remarks>
/// The result is immutable and thread-safe, except for the two interners, which are handed over to the caller
/// (intern more keys into them from one thread, for example to read a second file onto the same ids).
/// </remarks>
public sealed class TransitionLogReadResult
{
    private readonly Lazy<ImmutableArray<ColumnErrorCount>> _byColumn;
    private readonly Lazy<ImmutableArray<UnknownKey>> _unknownKeys;

    /// <summary>Creates a result; format readers call this.</summary>
    /// <param name="log">The log of the valid rows, in file order.</param>
    /// <param name="entities">The entity keys, by id.</param>
    /// <param name="segments">The segment keys, by code.</param>
    /// <param name="errors">Every rejected row, in file order.</param>
    /// <param name="rowsRead">The number of rows read: the rows kept plus the rows rejected.</param>
    /// <exception cref="ArgumentNullException"><paramref name="log"/>, <paramref name="entities"/> or <paramref name="segments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="rowsRead"/> is not the rows kept plus the rows rejected.</exception>
    public TransitionLogReadResult(TransitionLog log, EntityInterner<string> entities, EntityInterner<string> segments, ImmutableArray<TransitionLogRowError> errors, long rowsRead)
    {
        Guard.Against.Null(log);
        Guard.Against.Null(entities);
        Guard.Against.Null(segments);
        errors = errors.IsDefault ? [] : errors;
        if (rowsRead != log.Count + errors.Length)
        {
            throw new ArgumentException($"{rowsRead} rows read, but {log.Count} kept and {errors.Length} rejected.", nameof(rowsRead));
        }

        Log = log;
        Entities = entities;
        Segments = segments;
        Errors = errors;
        RowsRead = rowsRead;
        _byColumn = new(() => RowErrorSummary.ByColumn(Errors, e => e.Column));
        _unknownKeys = new(() => RowErrorSummary.UnknownKeys(Errors, e => e.Kind, e => e.Value));
    }

    /// <summary>Gets the log of the valid rows, in file order.</summary>
    public TransitionLog Log { get; }

    /// <summary>Gets the entity keys; the id of a key in <see cref="Log"/> is its index. An integer key is kept as its decimal text.</summary>
    public EntityInterner<string> Entities { get; }

    /// <summary>Gets the segment keys; the code of a segment in <see cref="Log"/> is its index. Empty when the file has no segment column.</summary>
    public EntityInterner<string> Segments { get; }

    /// <summary>
    /// Gets the segment column's name as the file spells it (<see cref="TransitionLogColumns.SegmentColumn"/> or one of
    /// its <see cref="TransitionLogColumns.SegmentColumnAlternatives"/>), or <see langword="null"/> when the file has
    /// none of them; format readers set it.
    /// </summary>
    public string? SegmentColumn { get; init; }

    /// <summary>Gets every rejected row, in file order.</summary>
    public ImmutableArray<TransitionLogRowError> Errors { get; }

    /// <summary>
    /// Gets the rejected rows counted by the column at fault, the most frequent first (then by name), with the rows
    /// bad as a whole under a <see langword="null"/> column: every rejected row counted once, so the counts add up to
    /// <see cref="RowsRejected"/>. Computed on first use.
    /// </summary>
    public ImmutableArray<ColumnErrorCount> ErrorCountsByColumn => _byColumn.Value;

    /// <summary>
    /// Gets each distinct stage and loss-reason value that rows were rejected for (<see cref="RowErrorKind.UnknownStage"/>,
    /// <see cref="RowErrorKind.UnknownLossReason"/>) with its number of rows, the most frequent first (then by value):
    /// at most 10,000 values, the most frequent. <see cref="UnknownKey.Suggest"/> gives the key of the definition a
    /// value most likely means, for a "did you mean" hint. Computed on first use.
    /// </summary>
    public ImmutableArray<UnknownKey> UnknownKeys => _unknownKeys.Value;

    /// <summary>Gets the number of rows read.</summary>
    public long RowsRead { get; }

    /// <summary>Gets the number of rows kept in <see cref="Log"/>.</summary>
    public long RowsKept => Log.Count;

    /// <summary>Gets the number of rows rejected (one error per rejected row).</summary>
    public long RowsRejected => Errors.Length;

    /// <summary>Gets a value indicating whether every row was kept.</summary>
    public bool IsClean => Errors.IsEmpty;
}
