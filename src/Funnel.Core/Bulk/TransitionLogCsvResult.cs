using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// What <see cref="TransitionLogCsvReader"/> read from a CSV file (or one chunk of it): the log of the valid rows,
/// in file order, and every rejected row with its line number and reason. Nothing is dropped silently:
/// <see cref="RowsRead"/> = <see cref="RowsKept"/> + <see cref="RowsRejected"/>.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class TransitionLogCsvResult
{
    internal TransitionLogCsvResult(TransitionLog log, ImmutableArray<CsvRowError> errors, long rowsRead)
    {
        Log = log;
        Errors = errors;
        RowsRead = rowsRead;
    }

    /// <summary>Gets the log of the valid rows, in file order.</summary>
    public TransitionLog Log { get; }

    /// <summary>Gets every rejected row, in file order.</summary>
    public ImmutableArray<CsvRowError> Errors { get; }

    /// <summary>Gets the number of data rows read (the header is not a data row).</summary>
    public long RowsRead { get; }

    /// <summary>Gets the number of rows kept in <see cref="Log"/>.</summary>
    public long RowsKept => Log.Count;

    /// <summary>Gets the number of rows rejected (one error per rejected row).</summary>
    public long RowsRejected => Errors.Length;

    /// <summary>Gets a value indicating whether every row was kept.</summary>
    public bool IsClean => Errors.IsEmpty;
}
