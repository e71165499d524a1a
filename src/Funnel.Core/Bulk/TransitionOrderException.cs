namespace Funnel.Core.Bulk;

/// <summary>
/// Thrown by <see cref="TransitionAccumulator"/> when a chunk holds an event of an entity that is earlier than an
/// event of the same entity in an earlier chunk. The streaming path needs every entity's events to arrive in time
/// order across chunks (true for any time-ordered log cut into chunks); within one chunk any order is accepted.
/// </summary>
public sealed class TransitionOrderException : FunnelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entityId">The entity whose events are out of order.</param>
    /// <param name="timestamp">The timestamp of the late event, in Unix seconds.</param>
    /// <param name="previousTimestamp">The later timestamp already seen for the entity in an earlier chunk.</param>
    public TransitionOrderException(int entityId, long timestamp, long previousTimestamp)
        : base($"Entity {entityId}: an event at {timestamp} arrived after an event at {previousTimestamp} in an earlier chunk; streamed chunks must keep each entity's events in time order.")
    {
        EntityId = entityId;
        Timestamp = timestamp;
        PreviousTimestamp = previousTimestamp;
    }

    /// <summary>Gets the entity whose events are out of order.</summary>
    public int EntityId { get; }

    /// <summary>Gets the timestamp of the late event, in Unix seconds.</summary>
    public long Timestamp { get; }

    /// <summary>Gets the later timestamp already seen for the entity in an earlier chunk.</summary>
    public long PreviousTimestamp { get; }
}
