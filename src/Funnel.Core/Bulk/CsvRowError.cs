namespace Funnel.Core.Bulk;

/// <summary>A CSV data row that was rejected: where it is and why.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class CsvRowError
{
    /// <summary>Creates a row error.</summary>
    /// <param name="lineNumber">The 1-based line number in the file where the row starts (the header is line 1).</param>
    /// <param name="columnNumber">The 1-based position of the field at fault, or <see langword="null"/> when the row as a whole is bad.</param>
    /// <param name="column">The header name of the column at fault, or <see langword="null"/> when the row as a whole is bad or the field has no column in the header.</param>
    /// <param name="kind">What is wrong, for a program.</param>
    /// <param name="reason">What is wrong, for a person.</param>
    /// <param name="value">The field's text at fault, or <see langword="null"/> when there is none (a row bad as a whole, an empty entity).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineNumber"/> or <paramref name="columnNumber"/> is below 1, or <paramref name="kind"/> is not a <see cref="RowErrorKind"/> value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    public CsvRowError(long lineNumber, int? columnNumber, string? column, RowErrorKind kind, string reason, string? value)
    {
        Guard.Against.LessThan(lineNumber, 1);
        if (columnNumber is { } number)
        {
            Guard.Against.LessThan(number, 1, nameof(columnNumber));
        }

        Guard.Against.UndefinedEnum(kind, $"{kind} is not a RowErrorKind value.", nameof(kind));
        Guard.Against.NullOrBlank(reason);
        LineNumber = lineNumber;
        ColumnNumber = columnNumber;
        Column = column;
        Kind = kind;
        Reason = reason;
        Value = value;
    }

    /// <summary>Gets the 1-based line number in the file (the header is line 1); for a row whose quoted field spans lines, the line where the row starts.</summary>
    public long LineNumber { get; }

    /// <summary>Gets the 1-based position of the field at fault, or <see langword="null"/> when the row as a whole is bad.</summary>
    public int? ColumnNumber { get; }

    /// <summary>Gets the header name of the column at fault (as written in the header), or <see langword="null"/> when the row as a whole is bad or the field has no column in the header.</summary>
    public string? Column { get; }

    /// <summary>Gets what is wrong, for a program: the same fault always has the same kind, whatever the reason's wording.</summary>
    public RowErrorKind Kind { get; }

    /// <summary>Gets what is wrong, for a person (the kind, the value as quoted text, and what would be accepted).</summary>
    public string Reason { get; }

    /// <summary>
    /// Gets the field's text at fault exactly as the file has it (unquoted, not cut), or <see langword="null"/> when
    /// the fault is not one field's value (<see cref="RowErrorKind.EmptyLine"/>, <see cref="RowErrorKind.FieldCount"/>,
    /// <see cref="RowErrorKind.UnclosedQuote"/>, <see cref="RowErrorKind.RowTooLong"/>,
    /// <see cref="RowErrorKind.TextAfterQuote"/>, <see cref="RowErrorKind.MissingValue"/>).
    /// </summary>
    public string? Value { get; }

    /// <summary>Returns the error as text.</summary>
    /// <returns>A text such as <c>line 7, column 2 (stage): 'foo' is neither a stage key ...</c>.</returns>
    public override string ToString() => (ColumnNumber, Column) switch
    {
        (null, null) => $"line {LineNumber}: {Reason}",
        (null, { } name) => $"line {LineNumber}, column {name}: {Reason}",
        ({ } number, null) => $"line {LineNumber}, column {number}: {Reason}",
        ({ } number, { } name) => $"line {LineNumber}, column {number} ({name}): {Reason}",
    };
}
