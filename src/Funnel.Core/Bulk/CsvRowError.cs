namespace Funnel.Core.Bulk;

/// <summary>A CSV data row that was rejected: where it is and why.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class CsvRowError
{
    /// <summary>Creates a row error.</summary>
    /// <param name="lineNumber">The 1-based line number in the file (the header is line 1).</param>
    /// <param name="column">The column at fault, or <see langword="null"/> when the row as a whole is bad.</param>
    /// <param name="reason">What is wrong.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineNumber"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    public CsvRowError(long lineNumber, string? column, string reason)
        : this(lineNumber, null, column, reason)
    {
    }

    /// <summary>Creates a row error that names the column by its position too.</summary>
    /// <param name="lineNumber">The 1-based line number in the file where the row starts (the header is line 1).</param>
    /// <param name="columnNumber">The 1-based position of the field at fault, or <see langword="null"/> when the row as a whole is bad.</param>
    /// <param name="column">The header name of the column at fault, or <see langword="null"/> when the row as a whole is bad or the field has no column in the header.</param>
    /// <param name="reason">What is wrong.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineNumber"/> or <paramref name="columnNumber"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    public CsvRowError(long lineNumber, int? columnNumber, string? column, string reason)
    {
        Guard.Against.LessThan(lineNumber, 1);
        if (columnNumber is { } number)
        {
            Guard.Against.LessThan(number, 1, nameof(columnNumber));
        }

        Guard.Against.NullOrBlank(reason);
        LineNumber = lineNumber;
        ColumnNumber = columnNumber;
        Column = column;
        Reason = reason;
    }

    /// <summary>Gets the 1-based line number in the file (the header is line 1); for a row whose quoted field spans lines, the line where the row starts.</summary>
    public long LineNumber { get; }

    /// <summary>Gets the 1-based position of the field at fault, or <see langword="null"/> when the row as a whole is bad.</summary>
    public int? ColumnNumber { get; }

    /// <summary>Gets the header name of the column at fault (as written in the header), or <see langword="null"/> when the row as a whole is bad or the field has no column in the header.</summary>
    public string? Column { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Reason { get; }

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
