namespace Funnel.Core.Storage;

/// <summary>
/// Thrown when stored data or data handed to a store cannot be used: a journey whose funnel definition the resolver
/// does not know, a stored stage key the definition lacks, an event naming an unknown stage. The message names the
/// journey, event index or key.
/// </summary>
/// <remarks>Database failures (connection lost, timeouts) surface as the provider's own exceptions.</remarks>
public sealed class FunnelStorageException : FunnelException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public FunnelStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public FunnelStorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
