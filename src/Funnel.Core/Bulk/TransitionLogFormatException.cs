namespace Funnel.Core.Bulk;

/// <summary>
/// Thrown when a transition log file cannot be read at all: a binary file with a wrong magic, version, length or
/// value, or a CSV file without a usable header. The message names what is wrong and where (byte offset, row or
/// CSV line). Bad CSV data rows are not exceptions: they are reported in <see cref="TransitionLogCsvResult.Errors"/>.
/// </summary>
public sealed class TransitionLogFormatException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="byteOffset">The byte offset in a binary file, or <see langword="null"/>.</param>
    /// <param name="lineNumber">The 1-based line in a CSV file, or <see langword="null"/>.</param>
    /// <param name="innerException">The exception that caused this one, or <see langword="null"/>.</param>
    public TransitionLogFormatException(string message, long? byteOffset = null, long? lineNumber = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ByteOffset = byteOffset;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the byte offset in a binary file where the problem is, or <see langword="null"/>.</summary>
    public long? ByteOffset { get; }

    /// <summary>Gets the 1-based line in a CSV file where the problem is, or <see langword="null"/>.</summary>
    public long? LineNumber { get; }
}
