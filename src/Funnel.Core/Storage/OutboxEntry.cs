namespace Funnel.Core.Storage;

/// <summary>An <see cref="OutboxMessage"/> as stored: with its id, the journey and version it was written with, and whether it was acknowledged.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class OutboxEntry
{
    /// <summary>Creates an entry; used by store adapters.</summary>
    /// <param name="id">The store-assigned id; ids grow in write order.</param>
    /// <param name="journeyId">The journey whose move emitted the message.</param>
    /// <param name="journeyVersion">The journey version that the move produced.</param>
    /// <param name="message">The message.</param>
    /// <param name="acknowledgedAt">When a relay acknowledged it, or <see langword="null"/> while pending.</param>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public OutboxEntry(long id, string journeyId, long journeyVersion, OutboxMessage message, DateTimeOffset? acknowledgedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(journeyId);
        ArgumentNullException.ThrowIfNull(message);
        Id = id;
        JourneyId = journeyId;
        JourneyVersion = journeyVersion;
        Message = message;
        AcknowledgedAt = acknowledgedAt;
    }

    /// <summary>Gets the store-assigned id.</summary>
    public long Id { get; }

    /// <summary>Gets the journey whose move emitted the message.</summary>
    public string JourneyId { get; }

    /// <summary>Gets the journey version that the move produced.</summary>
    public long JourneyVersion { get; }

    /// <summary>Gets the message.</summary>
    public OutboxMessage Message { get; }

    /// <summary>Gets when a relay acknowledged the message, or <see langword="null"/> while it is pending.</summary>
    public DateTimeOffset? AcknowledgedAt { get; }

    /// <summary>Returns the id, journey and type.</summary>
    /// <returns>A text such as <c>#7 lead-1@3 task.create</c>.</returns>
    public override string ToString() => $"#{Id} {JourneyId}@{JourneyVersion} {Message.Type}";
}
