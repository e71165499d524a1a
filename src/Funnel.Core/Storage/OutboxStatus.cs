namespace Funnel.Core.Storage;

/// <summary>The outbox backlog at one moment: how many messages wait, how many are parked, and the oldest waiting one.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class OutboxStatus
{
    /// <summary>Creates a status; used by store adapters.</summary>
    /// <param name="pendingCount">Messages neither acknowledged nor parked; not negative.</param>
    /// <param name="parkedCount">Messages parked after too many failed attempts; not negative.</param>
    /// <param name="oldestPendingCreatedAt">When the oldest pending message was created, or <see langword="null"/> when none is pending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public OutboxStatus(long pendingCount, long parkedCount, DateTimeOffset? oldestPendingCreatedAt)
    {
        Guard.Against.NegativeNumber(pendingCount);
        Guard.Against.NegativeNumber(parkedCount);
        PendingCount = pendingCount;
        ParkedCount = parkedCount;
        OldestPendingCreatedAt = oldestPendingCreatedAt;
    }

    /// <summary>Gets the number of messages neither acknowledged nor parked.</summary>
    public long PendingCount { get; }

    /// <summary>Gets the number of parked messages (kept, no longer delivered).</summary>
    public long ParkedCount { get; }

    /// <summary>Gets when the oldest pending message was created, or <see langword="null"/> when none is pending.</summary>
    public DateTimeOffset? OldestPendingCreatedAt { get; }

    /// <summary>Returns the counts.</summary>
    /// <returns>A text such as <c>3 pending, 1 parked</c>.</returns>
    public override string ToString() => $"{PendingCount} pending, {ParkedCount} parked";
}
