namespace Funnel.Core;

/// <summary>
/// One row of an event log: an entity (lead, deal) entered a stage at a time, or was lost at a stage with a
/// reason. Event logs come from CSV exports, databases or <see cref="Journey"/> histories, and feed the metrics.
/// </summary>
/// <remarks>
/// <para>A loss event has a <see cref="LossReason"/> and names the stage the entity was lost at; it is not an entry
/// into that stage. Every other event is an entry into <see cref="Stage"/>.</para>
/// <para>The <see langword="default"/> value has no entity and no stage and is not a valid event. This type is an
/// immutable value and is thread-safe.</para>
/// </remarks>
public readonly struct FunnelEvent : IEquatable<FunnelEvent>
{
    /// <summary>Creates an event.</summary>
    /// <param name="entityId">The entity's id; not blank.</param>
    /// <param name="stage">The stage entered, or the stage lost at for a loss event.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="lossReason">The loss reason of a loss event; the <see langword="default"/> key for an entry.</param>
    /// <param name="segment">A segment the entity belongs to (traffic source, channel, manager), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="entityId"/> is blank, or <paramref name="stage"/> is the default key.</exception>
    public FunnelEvent(string entityId, StageKey stage, DateTimeOffset at, LossReasonKey lossReason = default, string? segment = null)
    {
        Guard.Against.NullOrBlank(entityId);
        Guard.Against.InvalidStageKey(stage);

        EntityId = entityId;
        Stage = stage;
        At = at;
        LossReason = lossReason;
        Segment = segment;
    }

    /// <summary>Gets the entity's id.</summary>
    public string EntityId { get; }

    /// <summary>Gets the stage entered, or the stage lost at for a loss event.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets the loss reason of a loss event; the <see langword="default"/> key for an entry.</summary>
    public LossReasonKey LossReason { get; }

    /// <summary>Gets a value indicating whether this is a loss event.</summary>
    public bool IsLoss => !LossReason.IsDefault;

    /// <summary>Gets the segment the entity belongs to, or <see langword="null"/>.</summary>
    public string? Segment { get; }

    /// <summary>Compares two events for equality.</summary>
    /// <param name="left">The first event.</param>
    /// <param name="right">The second event.</param>
    /// <returns><see langword="true"/> when all fields are equal.</returns>
    public static bool operator ==(FunnelEvent left, FunnelEvent right) => left.Equals(right);

    /// <summary>Compares two events for inequality.</summary>
    /// <param name="left">The first event.</param>
    /// <param name="right">The second event.</param>
    /// <returns><see langword="true"/> when a field differs.</returns>
    public static bool operator !=(FunnelEvent left, FunnelEvent right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(FunnelEvent other) =>
        string.Equals(EntityId, other.EntityId, StringComparison.Ordinal)
        && Stage == other.Stage
        && At == other.At
        && LossReason == other.LossReason
        && string.Equals(Segment, other.Segment, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FunnelEvent other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EntityId, Stage, At, LossReason, Segment);

    /// <summary>Returns the event as text.</summary>
    /// <returns>A text such as <c>lead-1 entered interest at 2026-01-01T10:00:00+00:00</c>.</returns>
    public override string ToString() =>
        IsLoss ? $"{EntityId} lost at {Stage} ({LossReason}) at {At:O}" : $"{EntityId} entered {Stage} at {At:O}";
}
