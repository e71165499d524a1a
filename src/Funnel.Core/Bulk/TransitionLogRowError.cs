namespace Funnel.Core.Bulk;

/// <summary>A row of a columnar file (Parquet, Arrow IPC) that was rejected: where it is and why.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class TransitionLogRowError
{
    /// <summary>Creates a row error.</summary>
    /// <param name="rowIndex">The 0-based index of the row in the file, counted across row groups or record batches.</param>
    /// <param name="column">The name of the column at fault, as mapped in <see cref="TransitionLogColumns"/>.</param>
    /// <param name="reason">What is wrong.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowIndex"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="column"/> or <paramref name="reason"/> is blank.</exception>
    public TransitionLogRowError(long rowIndex, string column, string reason)
    {
        Guard.Against.NegativeNumber(rowIndex);
        Guard.Against.NullOrBlank(column);
        Guard.Against.NullOrBlank(reason);
        RowIndex = rowIndex;
        Column = column;
        Reason = reason;
    }

    /// <summary>Gets the 0-based index of the row in the file, counted across row groups or record batches.</summary>
    public long RowIndex { get; }

    /// <summary>Gets the name of the column at fault, as mapped in <see cref="TransitionLogColumns"/>.</summary>
    public string Column { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Reason { get; }

    /// <summary>Returns the error as text.</summary>
    /// <returns>A text such as <c>row 7, column stage: 'foo' is neither a stage key ...</c>.</returns>
    public override string ToString() => $"row {RowIndex}, column {Column}: {Reason}";
}
