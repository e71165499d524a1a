namespace Funnel.Core.Metrics;

/// <summary>
/// A costs CSV (<see cref="SourceCostTable.ReadCsv"/>) is not well formed: the message names the document, the line
/// and what is wrong; <see cref="Line"/> and <see cref="Column"/> say where.
/// </summary>
public sealed class SourceCostFormatException : FunnelException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="documentName">The document's name.</param>
    /// <param name="line">The 1-based line (1 is the header).</param>
    /// <param name="column">The column's header name, or <see langword="null"/> when the whole line is at fault.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    public SourceCostFormatException(string message, string documentName, int line, string? column, Exception? innerException = null)
        : base(message, innerException)
    {
        DocumentName = documentName;
        Line = line;
        Column = column;
    }

    /// <summary>Gets the document's name.</summary>
    public string DocumentName { get; }

    /// <summary>Gets the 1-based line (1 is the header).</summary>
    public int Line { get; }

    /// <summary>Gets the column's header name, or <see langword="null"/> when the whole line is at fault.</summary>
    public string? Column { get; }
}
