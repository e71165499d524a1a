namespace Funnel.Core;

/// <summary>
/// The base type of every exception that Funnel.Core and its adapter packages throw on their own account.
/// Each derived exception names what is wrong and where (stage key, JSON path, CSV line).
/// </summary>
/// <remarks>Argument misuse (null, out of range) is reported with the standard BCL exceptions instead.</remarks>
public abstract class FunnelException : Exception
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What went wrong and where.</param>
    protected FunnelException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    protected FunnelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
