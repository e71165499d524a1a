namespace Funnel.Core.Storage;

/// <summary>
/// Walks a sequence of <see cref="FunnelEvent"/>s for an <see cref="EventLogStore"/> adapter, turning each into the
/// stored row shape (dense ordinals, Unix seconds) and rejecting a bad event with a message that names its index.
/// </summary>
/// <remarks>Not thread-safe: one adapter call reads it once, front to back. <see cref="EventLogStore"/> disposes it after the adapter returns.</remarks>
public sealed class EventRowReader : IDisposable
{
    private readonly FunnelDefinition _definition;
    private readonly IEnumerator<FunnelEvent> _events;
    private readonly Dictionary<StageKey, int> _stages;
    private readonly Dictionary<LossReasonKey, int> _reasons;

    internal EventRowReader(FunnelDefinition definition, IEnumerable<FunnelEvent> events)
    {
        _definition = definition;
        _events = events.GetEnumerator();
        _stages = definition.Stages.ToDictionary(stage => stage.Key, stage => stage.Order);
        _reasons = new Dictionary<LossReasonKey, int>(definition.LossReasons.Length);
        for (var i = 0; i < definition.LossReasons.Length; i++)
        {
            _reasons[definition.LossReasons[i].Key] = i;
        }
    }

    /// <summary>Gets the number of rows read so far.</summary>
    public long Index { get; private set; } = -1;

    /// <summary>Gets the current row's entity id.</summary>
    public string EntityId { get; private set; } = string.Empty;

    /// <summary>Gets the current row's stage ordinal.</summary>
    public int Stage { get; private set; }

    /// <summary>Gets the current row's timestamp in Unix seconds.</summary>
    public long Timestamp { get; private set; }

    /// <summary>Gets the current row's loss-reason ordinal, -1 for an entry event.</summary>
    public int LossReason { get; private set; }

    /// <summary>Gets the current row's segment, or <see langword="null"/>.</summary>
    public string? Segment { get; private set; }

    /// <summary>Moves to the next row.</summary>
    /// <returns><see langword="false"/> at the end.</returns>
    /// <exception cref="FunnelStorageException">The event is invalid for the definition, or its entity id or segment holds a NUL or an unpaired surrogate; the message names its index.</exception>
    public bool Read()
    {
        if (!_events.MoveNext())
        {
            return false;
        }

        Index++;
        var e = _events.Current;
        if (e.EntityId is null)
        {
            throw new FunnelStorageException($"Event {Index} for funnel '{_definition.Key}' is the default value (no entity, no stage).");
        }

        if (StoredText.FindProblem(e.EntityId) is { } badId)
        {
            throw new FunnelStorageException($"Event {Index} (entity '{StoredText.Printable(e.EntityId)}'): the entity id contains {badId}.");
        }

        if (e.Segment is not null && StoredText.FindProblem(e.Segment) is { } badSegment)
        {
            throw new FunnelStorageException($"Event {Index} (entity '{StoredText.Printable(e.EntityId)}'): the segment contains {badSegment}.");
        }

        if (!_stages.TryGetValue(e.Stage, out var stage))
        {
            throw new FunnelStorageException($"Event {Index} (entity '{e.EntityId}') names the stage '{e.Stage}', which funnel '{_definition.Key}' does not have.");
        }

        var reason = -1;
        if (e.IsLoss && !_reasons.TryGetValue(e.LossReason, out reason))
        {
            throw new FunnelStorageException($"Event {Index} (entity '{e.EntityId}') names the loss reason '{e.LossReason}', which funnel '{_definition.Key}' does not have.");
        }

        EntityId = e.EntityId;
        Stage = stage;
        Timestamp = e.At.ToUnixTimeSeconds();
        LossReason = reason;
        Segment = e.Segment;
        return true;
    }

    /// <summary>Releases the underlying enumerator.</summary>
    public void Dispose() => _events.Dispose();
}
