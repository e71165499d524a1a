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
        : this(id, journeyId, journeyVersion, message, acknowledgedAt, 0, null, null, null)
    {
    }

    /// <summary>Creates an entry with its delivery state; used by store adapters.</summary>
    /// <param name="id">The store-assigned id; ids grow in write order.</param>
    /// <param name="journeyId">The journey whose move emitted the message.</param>
    /// <param name="journeyVersion">The journey version that the move produced.</param>
    /// <param name="message">The message.</param>
    /// <param name="acknowledgedAt">When a relay acknowledged it, or <see langword="null"/> while pending.</param>
    /// <param name="failedAttempts">How many delivery attempts failed so far; not negative.</param>
    /// <param name="lastError">The error of the last failed attempt, or <see langword="null"/>.</param>
    /// <param name="nextAttemptAt">The earliest time of the next attempt after a failure, or <see langword="null"/>.</param>
    /// <param name="parkedAt">When the message was parked after too many failures, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="journeyId"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failedAttempts"/> is negative.</exception>
    public OutboxEntry(
        long id,
        string journeyId,
        long journeyVersion,
        OutboxMessage message,
        DateTimeOffset? acknowledgedAt,
        int failedAttempts,
        string? lastError,
        DateTimeOffset? nextAttemptAt,
        DateTimeOffset? parkedAt)
    {
        Guard.Against.NegativeNumber(failedAttempts);
        FailedAttempts = failedAttempts;
        LastError = lastError;
        NextAttemptAt = nextAttemptAt;
        ParkedAt = parkedAt;
        Guard.Against.NullOrBlank(journeyId);
        Guard.Against.Null(message);
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

    /// <summary>Gets how many delivery attempts failed so far (0 for a message never tried or delivered at the first attempt).</summary>
    public int FailedAttempts { get; }

    /// <summary>Gets the error of the last failed delivery attempt, or <see langword="null"/>.</summary>
    public string? LastError { get; }

    /// <summary>Gets the earliest time of the next delivery attempt after a failure, or <see langword="null"/> when no attempt failed.</summary>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>
    /// Gets when the message was parked after too many failed attempts, or <see langword="null"/>. A parked message
    /// is kept (visible to <see cref="JourneyStore.ReadOutboxAsync"/>) but no longer delivered.
    /// </summary>
    public DateTimeOffset? ParkedAt { get; }

    /// <summary>Returns the id, journey and type.</summary>
    /// <returns>A text such as <c>#7 lead-1@3 task.create</c>.</returns>
    public override string ToString() => $"#{Id} {JourneyId}@{JourneyVersion} {Message.Type}";
}
