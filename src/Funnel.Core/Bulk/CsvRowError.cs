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
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lineNumber, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        LineNumber = lineNumber;
        Column = column;
        Reason = reason;
    }

    /// <summary>Gets the 1-based line number in the file (the header is line 1).</summary>
    public long LineNumber { get; }

    /// <summary>Gets the column at fault, or <see langword="null"/> when the row as a whole is bad.</summary>
    public string? Column { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Reason { get; }

    /// <summary>Returns the error as text.</summary>
    /// <returns>A text such as <c>line 7, column stage: unknown stage 'foo'</c>.</returns>
    public override string ToString() => Column is null ? $"line {LineNumber}: {Reason}" : $"line {LineNumber}, column {Column}: {Reason}";
}
