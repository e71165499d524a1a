namespace Funnel.Core.Metrics;

/// <summary>
/// Thrown when the input of a metric names something the funnel definition does not have (an unknown stage or loss
/// reason in an event log, a journey of another funnel, a duplicate journey id). The message names the entity and the
/// position of the offending row.
/// </summary>
public sealed class MetricsInputException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="entityId">The entity (lead) the problem concerns, or <see langword="null"/>.</param>
    /// <param name="position">The zero-based position of the offending row or journey in the input, or -1 when not known.</param>
    public MetricsInputException(string message, string? entityId, long position)
        : base(message)
    {
        EntityId = entityId;
        Position = position;
    }

    /// <summary>Gets the entity (lead) the problem concerns, or <see langword="null"/>.</summary>
    public string? EntityId { get; }

    /// <summary>Gets the zero-based position of the offending row or journey in the input, or -1 when not known.</summary>
    public long Position { get; }
}
