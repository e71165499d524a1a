namespace Funnel.Core.Storage;

/// <summary>
/// A block of event-log rows read back from a store, column by column in log order: entity ids, dense stage
/// ordinals (<see cref="Stage.Order"/>), timestamps in whole Unix seconds, dense loss-reason ordinals (index into
/// <see cref="FunnelDefinition.LossReasons"/>, -1 for an entry event) and segments. The shape a columnar engine
/// copies from without per-row allocation.
/// </summary>
/// <remarks>Instances are immutable (the columns are read-only views of arrays the chunk owns) and thread-safe.</remarks>
public sealed class EventLogChunk
{
    private readonly string[] _entityIds;
    private readonly int[] _stages;
    private readonly long[] _timestamps;
    private readonly int[] _lossReasons;
    private readonly string?[] _segments;

    /// <summary>Creates a chunk that takes ownership of the arrays; used by store adapters.</summary>
    /// <param name="definition">The funnel the ordinals refer to.</param>
    /// <param name="firstSequence">The log position of the first row (0-based count of rows before it in the log).</param>
    /// <param name="entityIds">Entity ids.</param>
    /// <param name="stages">Stage ordinals.</param>
    /// <param name="timestamps">Unix seconds.</param>
    /// <param name="lossReasons">Loss-reason ordinals, -1 for none.</param>
    /// <param name="segments">Segments, <see langword="null"/> for none.</param>
    /// <param name="count">How many leading elements of each array are rows.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or exceeds an array's length.</exception>
    public EventLogChunk(FunnelDefinition definition, long firstSequence, string[] entityIds, int[] stages, long[] timestamps, int[] lossReasons, string?[] segments, int count)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(entityIds);
        Guard.Against.Null(stages);
        Guard.Against.Null(timestamps);
        Guard.Against.Null(lossReasons);
        Guard.Against.Null(segments);
        Guard.Against.NegativeNumber(count);
        var min = Math.Min(Math.Min(Math.Min(entityIds.Length, stages.Length), Math.Min(timestamps.Length, lossReasons.Length)), segments.Length);
        Guard.Against.GreaterThan(count, min);
        Definition = definition;
        FirstSequence = firstSequence;
        _entityIds = entityIds;
        _stages = stages;
        _timestamps = timestamps;
        _lossReasons = lossReasons;
        _segments = segments;
        Count = count;
    }

    /// <summary>Gets the funnel the ordinals refer to.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the log position of the first row.</summary>
    public long FirstSequence { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Count { get; }

    /// <summary>Gets the entity ids.</summary>
    public ReadOnlySpan<string> EntityIds => _entityIds.AsSpan(0, Count);

    /// <summary>Gets the stage ordinals (<see cref="Stage.Order"/>).</summary>
    public ReadOnlySpan<int> Stages => _stages.AsSpan(0, Count);

    /// <summary>Gets the timestamps in whole Unix seconds.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, Count);

    /// <summary>Gets the loss-reason ordinals (index into <see cref="FunnelDefinition.LossReasons"/>); -1 marks an entry event.</summary>
    public ReadOnlySpan<int> LossReasons => _lossReasons.AsSpan(0, Count);

    /// <summary>Gets the segments; <see langword="null"/> where none.</summary>
    public ReadOnlySpan<string?> Segments => _segments.AsSpan(0, Count);

    /// <summary>Converts the rows to <see cref="FunnelEvent"/>s with UTC timestamps.</summary>
    /// <returns>The events, in log order.</returns>
    public FunnelEvent[] ToEvents()
    {
        var events = new FunnelEvent[Count];
        for (var i = 0; i < Count; i++)
        {
            var reason = _lossReasons[i] < 0 ? default : Definition.LossReasons[_lossReasons[i]].Key;
            events[i] = new FunnelEvent(_entityIds[i], Definition.Stages[_stages[i]].Key, DateTimeOffset.FromUnixTimeSeconds(_timestamps[i]), reason, _segments[i]);
        }

        return events;
    }

    /// <summary>
    /// Converts the rows to a columnar <see cref="Bulk.TransitionLog"/> for the bulk engine, interning entity ids and
    /// segments with the given interners. Reuse the same interners for every chunk of one log so that an entity
    /// keeps its id across chunks.
    /// </summary>
    /// <param name="entities">The interner for entity ids.</param>
    /// <param name="segments">The interner for segments, or <see langword="null"/> for a log without a segment column.</param>
    /// <returns>The log, in the chunk's row order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entities"/> is <see langword="null"/>.</exception>
    public Bulk.TransitionLog ToTransitionLog(Bulk.EntityInterner<string> entities, Bulk.EntityInterner<string>? segments = null)
    {
        Guard.Against.Null(entities);
        var ids = new int[Count];
        var stages = new short[Count];
        var reasons = new short[Count];
        var codes = segments is null ? [] : new int[Count];
        for (var i = 0; i < Count; i++)
        {
            ids[i] = entities.Intern(_entityIds[i]);
            stages[i] = checked((short)_stages[i]);
            reasons[i] = _lossReasons[i] < 0 ? Bulk.TransitionLog.NoLossReason : checked((short)_lossReasons[i]);
            if (segments is not null)
            {
                codes[i] = _segments[i] is { } segment ? segments.Intern(segment) : Bulk.TransitionLog.NoSegment;
            }
        }

        return Bulk.TransitionLog.Create(ids, stages, _timestamps.AsSpan(0, Count), reasons, codes);
    }
}
