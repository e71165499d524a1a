using System.Collections.Immutable;
using Funnel.Core.Bulk;

namespace Funnel.Formats.Arrow;

/// <summary>
/// What <see cref="TransitionLogArrowReader"/> read from an Arrow IPC file or stream: the log of the valid rows in file order,
/// the keys behind its entity ids and segment codes, and every rejected row with its index and reason. Nothing is
/// dropped silently: <see cref="RowsRead"/> = <see cref="RowsKept"/> + <see cref="RowsRejected"/>.
/// </summary>
/// <remarks>
/// The result is immutable and thread-safe, except for the two interners, which are handed over to the caller
/// (intern more keys into them from one thread, for example to read a second file onto the same ids).
/// </remarks>
public sealed class TransitionLogArrowResult
{
    internal TransitionLogArrowResult(TransitionLog log, EntityInterner<string> entities, EntityInterner<string> segments, ImmutableArray<ArrowRowError> errors, long rowsRead)
    {
        Log = log;
        Entities = entities;
        Segments = segments;
        Errors = errors;
        RowsRead = rowsRead;
    }

    /// <summary>Gets the log of the valid rows, in file order.</summary>
    public TransitionLog Log { get; }

    /// <summary>Gets the entity keys; the id of a key in <see cref="Log"/> is its index. An integer key is kept as its decimal text.</summary>
    public EntityInterner<string> Entities { get; }

    /// <summary>Gets the segment keys; the code of a segment in <see cref="Log"/> is its index. Empty when the file has no segment column.</summary>
    public EntityInterner<string> Segments { get; }

    /// <summary>Gets every rejected row, in file order.</summary>
    public ImmutableArray<ArrowRowError> Errors { get; }

    /// <summary>Gets the number of rows read.</summary>
    public long RowsRead { get; }

    /// <summary>Gets the number of rows kept in <see cref="Log"/>.</summary>
    public long RowsKept => Log.Count;

    /// <summary>Gets the number of rows rejected (one error per rejected row).</summary>
    public long RowsRejected => Errors.Length;

    /// <summary>Gets a value indicating whether every row was kept.</summary>
    public bool IsClean => Errors.IsEmpty;
}
