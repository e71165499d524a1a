namespace Funnel.Core.Bulk;

/// <summary>A row of a columnar file (Parquet, Arrow IPC) that was rejected: where it is and why.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class TransitionLogRowError
{
    /// <summary>Creates a row error.</summary>
    /// <param name="rowIndex">The 0-based index of the row in the file, counted across row groups or record batches.</param>
    /// <param name="column">The name of the column at fault, as mapped in <see cref="TransitionLogColumns"/>.</param>
    /// <param name="kind">What is wrong, for a program.</param>
    /// <param name="reason">What is wrong, for a person.</param>
    /// <param name="value">The value at fault as text (an integer as its decimal text), or <see langword="null"/> when there is none (a null).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowIndex"/> is negative, or <paramref name="kind"/> is not a <see cref="RowErrorKind"/> value.</exception>
    /// <exception cref="ArgumentException"><paramref name="column"/> or <paramref name="reason"/> is blank.</exception>
    public TransitionLogRowError(long rowIndex, string column, RowErrorKind kind, string reason, string? value)
    {
        Guard.Against.NegativeNumber(rowIndex);
        Guard.Against.NullOrBlank(column);
        Guard.Against.UndefinedEnum(kind, $"{kind} is not a RowErrorKind value.", nameof(kind));
        Guard.Against.NullOrBlank(reason);
        RowIndex = rowIndex;
        Column = column;
        Kind = kind;
        Reason = reason;
        Value = value;
    }

    /// <summary>Gets the 0-based index of the row in the file, counted across row groups or record batches.</summary>
    public long RowIndex { get; }

    /// <summary>Gets the name of the column at fault, as mapped in <see cref="TransitionLogColumns"/>.</summary>
    public string Column { get; }

    /// <summary>Gets what is wrong, for a program: the same fault always has the same kind, whatever the reason's wording.</summary>
    public RowErrorKind Kind { get; }

    /// <summary>Gets what is wrong, for a person.</summary>
    public string Reason { get; }

    /// <summary>Gets the value at fault as text, exactly as stored (an integer as its decimal text), or <see langword="null"/> when it is null.</summary>
    public string? Value { get; }

    /// <summary>Returns the error as text.</summary>
    /// <returns>A text such as <c>row 7, column stage: 'foo' is neither a stage key ...</c>.</returns>
    public override string ToString() => $"row {RowIndex}, column {Column}: {Reason}";
}
