namespace Funnel.Core.Bulk;

/// <summary>
/// A columnar (struct-of-arrays) event log for the bulk engine: per event an entity id, a stage ordinal, a
/// timestamp in whole Unix seconds, a loss-reason ordinal (or <see cref="NoLossReason"/>) and an optional segment
/// code. The log keeps the order it was given in (normally time order, entities interleaved).
/// </summary>
/// <remarks>
/// <para>Entity ids are dense non-negative integers (intern string or GUID keys with
/// <see cref="EntityInterner{TKey}"/>); the engine keeps state per id up to <see cref="EntityIdLimit"/>, so sparse
/// ids cost memory. Stage and loss-reason ordinals are the <see cref="Stage.Order"/> and the index in
/// <see cref="FunnelDefinition.LossReasons"/>.</para>
/// <para>Construction validates every row once and records the limits and whether the log is time ordered, so the
/// engine does not re-validate. Instances are immutable and thread-safe; the column views never change.</para>
/// </remarks>
public sealed class TransitionLog
{
    /// <summary>The loss-reason ordinal of an entry event (an event that is not a loss).</summary>
    public const short NoLossReason = -1;

    /// <summary>The segment code of an event without a segment.</summary>
    public const int NoSegment = -1;

    /// <summary>The smallest timestamp accepted: 0001-01-01T00:00:00Z in Unix seconds.</summary>
    public const long MinTimestamp = -62_135_596_800L;

    /// <summary>The largest timestamp accepted: 9999-12-31T23:59:59Z in Unix seconds.</summary>
    public const long MaxTimestamp = 253_402_300_799L;

    private readonly int[] _entityIds;
    private readonly short[] _stages;
    private readonly long[] _timestamps;
    private readonly short[] _lossReasons;
    private readonly int[]? _segments;
    private readonly int _count;

    /// <summary>
    /// The key under which the <see cref="ArgumentException"/> for an invalid value keeps its 0-based row in
    /// <see cref="Exception.Data"/>, so that a reader can point at the value in its input (the binary reader names
    /// the byte offset).
    /// </summary>
    internal const string InvalidRowKey = "Funnel.Core.Bulk.TransitionLog.Row";

    private TransitionLog(int[] entityIds, short[] stages, long[] timestamps, short[] lossReasons, int[]? segments, int count)
        : this(entityIds, stages, timestamps, lossReasons, segments, count, 0, 0, 0, true)
    {
        var entityLimit = 0;
        var stageLimit = 0;
        var reasonLimit = 0;
        var ordered = true;
        var previous = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            var entity = entityIds[i];
            var stage = stages[i];
            var time = timestamps[i];
            var reason = lossReasons[i];
            if (entity < 0)
            {
                throw InvalidRow(i, $"Row {i}: the entity id {entity} is negative.", nameof(entityIds));
            }

            if (stage < 0)
            {
                throw InvalidRow(i, $"Row {i}: the stage ordinal {stage} is negative.", nameof(stages));
            }

            if (time is < MinTimestamp or > MaxTimestamp)
            {
                throw InvalidRow(i, $"Row {i}: the timestamp {time} is outside {MinTimestamp}..{MaxTimestamp} (years 1 to 9999).", nameof(timestamps));
            }

            if (reason < NoLossReason)
            {
                throw InvalidRow(i, $"Row {i}: the loss-reason ordinal {reason} is below -1 (none).", nameof(lossReasons));
            }

            if (segments is not null && segments[i] < NoSegment)
            {
                throw InvalidRow(i, $"Row {i}: the segment code {segments[i]} is below -1 (none).", nameof(segments));
            }

            if (entity == int.MaxValue)
            {
                throw InvalidRow(i, $"Row {i}: the entity id {entity} is too large; the largest id is {int.MaxValue - 1}.", nameof(entityIds));
            }

            entityLimit = Math.Max(entityLimit, entity + 1);
            stageLimit = Math.Max(stageLimit, stage + 1);
            reasonLimit = Math.Max(reasonLimit, reason + 1);
            ordered &= time >= previous;
            previous = time;
        }

        EntityIdLimit = entityLimit;
        StageLimit = stageLimit;
        LossReasonLimit = reasonLimit;
        IsTimeOrdered = ordered;
    }

    private static ArgumentException InvalidRow(int row, string message, string paramName)
    {
        var error = new ArgumentException(message, paramName);
        error.Data[InvalidRowKey] = row;
        return error;
    }

    /// <summary>Gets the empty log.</summary>
    public static TransitionLog Empty { get; } = new([], [], [], [], null, 0);

    /// <summary>Gets the number of events.</summary>
    public int Count => _count;

    /// <summary>Gets the entity id of every event, in log order.</summary>
    public ReadOnlySpan<int> EntityIds => _entityIds.AsSpan(0, _count);

    /// <summary>Gets the stage ordinal of every event: the stage entered, or the stage lost at for a loss event.</summary>
    public ReadOnlySpan<short> Stages => _stages.AsSpan(0, _count);

    /// <summary>Gets the timestamp of every event in whole Unix seconds.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, _count);

    /// <summary>Gets the loss-reason ordinal of every event; <see cref="NoLossReason"/> (-1) for an entry event.</summary>
    public ReadOnlySpan<short> LossReasons => _lossReasons.AsSpan(0, _count);

    /// <summary>Gets a value indicating whether the log has a segment column.</summary>
    public bool HasSegments => _segments is not null;

    /// <summary>Gets the segment code of every event (<see cref="NoSegment"/> for none); empty when <see cref="HasSegments"/> is <see langword="false"/>.</summary>
    public ReadOnlySpan<int> Segments => _segments is null ? default : _segments.AsSpan(0, _count);

    /// <summary>Gets one more than the largest entity id (0 for an empty log).</summary>
    public int EntityIdLimit { get; }

    /// <summary>Gets one more than the largest stage ordinal (0 for an empty log).</summary>
    public int StageLimit { get; }

    /// <summary>Gets one more than the largest loss-reason ordinal (0 when the log has no loss event).</summary>
    public int LossReasonLimit { get; }

    /// <summary>Gets a value indicating whether the timestamps never decrease in log order (the engine's fast path).</summary>
    public bool IsTimeOrdered { get; }

    /// <summary>Gets the size of the log's columns in bytes (16 per event, 20 with segments).</summary>
    public long SizeInBytes => (long)_count * (sizeof(int) + sizeof(short) + sizeof(long) + sizeof(short) + (_segments is null ? 0 : sizeof(int)));

    /// <summary>Creates a log by copying the given columns.</summary>
    /// <param name="entityIds">The entity id of every event; not negative.</param>
    /// <param name="stages">The stage ordinal of every event; not negative.</param>
    /// <param name="timestamps">The timestamp of every event in Unix seconds, within <see cref="MinTimestamp"/>..<see cref="MaxTimestamp"/>.</param>
    /// <param name="lossReasons">The loss-reason ordinal of every event, or <see cref="NoLossReason"/>.</param>
    /// <param name="segments">The segment code of every event, or <see cref="NoSegment"/>; an empty span for no segment column.</param>
    /// <returns>The log.</returns>
    /// <exception cref="ArgumentException">The columns differ in length, or a value is out of range (the message names the row).</exception>
    public static TransitionLog Create(
        ReadOnlySpan<int> entityIds,
        ReadOnlySpan<short> stages,
        ReadOnlySpan<long> timestamps,
        ReadOnlySpan<short> lossReasons,
        ReadOnlySpan<int> segments = default)
    {
        var n = entityIds.Length;
        if (stages.Length != n || timestamps.Length != n || lossReasons.Length != n || (!segments.IsEmpty && segments.Length != n))
        {
            throw new ArgumentException(
                $"The columns must have the same length (entity ids {n}, stages {stages.Length}, timestamps {timestamps.Length}, loss reasons {lossReasons.Length}, segments {segments.Length}).",
                nameof(entityIds));
        }

        return n == 0 && segments.IsEmpty
            ? Empty
            : new TransitionLog(entityIds.ToArray(), stages.ToArray(), timestamps.ToArray(), lossReasons.ToArray(), segments.IsEmpty ? null : segments.ToArray(), n);
    }

    /// <summary>
    /// Converts <see cref="FunnelEvent"/>s (for example from <see cref="Journey"/> histories) to a log, in the given
    /// order: stage keys become <see cref="Stage.Order"/>, loss-reason keys their index in
    /// <see cref="FunnelDefinition.LossReasons"/>, times whole Unix seconds (rounded down), and entity ids and
    /// segments are interned.
    /// </summary>
    /// <param name="events">The events, in log order.</param>
    /// <param name="definition">The funnel the events belong to.</param>
    /// <param name="entities">The interner for entity ids; reuse one to keep ids stable across logs.</param>
    /// <param name="segments">The interner for segments; <see langword="null"/> for a log without a segment column.</param>
    /// <returns>The log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/>, <paramref name="definition"/> or <paramref name="entities"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An event has a stage or loss reason that the definition lacks, or a default value (the message names the event's index).</exception>
    public static TransitionLog FromEvents(
        IEnumerable<FunnelEvent> events,
        FunnelDefinition definition,
        EntityInterner<string> entities,
        EntityInterner<string>? segments = null)
    {
        Guard.Against.Null(events);
        Guard.Against.Null(definition);
        Guard.Against.Null(entities);
        var reasons = new Dictionary<LossReasonKey, int>();
        for (var r = 0; r < definition.LossReasons.Length; r++)
        {
            reasons[definition.LossReasons[r].Key] = r;
        }

        var builder = new TransitionLogBuilder(events.TryGetNonEnumeratedCount(out var n) ? n : 1024, segments is not null);
        var index = 0;
        foreach (var e in events)
        {
            if (e.EntityId is null || !definition.TryGetStage(e.Stage, out var stage))
            {
                throw new ArgumentException($"Event {index} ({e}): the stage '{e.Stage}' is not a stage of '{definition.Key}'.", nameof(events));
            }

            var reason = NoLossReason;
            if (e.IsLoss)
            {
                if (!reasons.TryGetValue(e.LossReason, out var ordinal))
                {
                    throw new ArgumentException($"Event {index} ({e}): the loss reason '{e.LossReason}' is not a loss reason of '{definition.Key}'.", nameof(events));
                }

                reason = (short)ordinal;
            }

            var segment = segments is not null && e.Segment is not null ? segments.Intern(e.Segment) : NoSegment;
            builder.Add(entities.Intern(e.EntityId), stage.Order, e.At.ToUnixTimeSeconds(), reason, segment);
            index++;
        }

        return builder.Build();
    }

    /// <summary>
    /// Converts the log back to <see cref="FunnelEvent"/>s, the inverse of <see cref="FromEvents"/>: same order, stage
    /// ordinals become <see cref="Stage"/> keys, loss-reason ordinals <see cref="LossReason"/> keys, timestamps UTC
    /// <see cref="DateTimeOffset"/>s, and entity ids and segment codes the keys the interners gave them.
    /// </summary>
    /// <param name="definition">The funnel the ordinals refer to.</param>
    /// <param name="entities">The interner that gave the entity ids (for example <see cref="TransitionLogCsvReader.Entities"/>).</param>
    /// <param name="segments">The interner that gave the segment codes; <see langword="null"/> only when the log has no segment column (it is ignored then).</param>
    /// <returns>The events, one per row, in log order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="entities"/> is <see langword="null"/>, or <paramref name="segments"/> is <see langword="null"/> while the log has a segment column.</exception>
    /// <exception cref="ArgumentException">A row has a stage or loss-reason ordinal that the definition lacks, or an entity id or segment code that the interner has not given (the message names the row and the value).</exception>
    public FunnelEvent[] ToEvents(FunnelDefinition definition, EntityInterner<string> entities, EntityInterner<string>? segments = null)
    {
        Guard.Against.Null(entities);
        return ToEvents(definition, entities.ToImmutableArray(), segments?.ToImmutableArray(), nameof(entities), nameof(segments));
    }

    /// <summary>
    /// Converts the log back to <see cref="FunnelEvent"/>s as <see cref="ToEvents(FunnelDefinition, EntityInterner{string}, EntityInterner{string})"/>
    /// does, taking the keys as lists indexed by id (such as a snapshot from <see cref="EntityInterner{TKey}.ToImmutableArray"/>).
    /// </summary>
    /// <param name="definition">The funnel the ordinals refer to.</param>
    /// <param name="entityKeys">The entity key of every entity id, indexed by id.</param>
    /// <param name="segmentKeys">The segment of every segment code, indexed by code; <see langword="null"/> only when the log has no segment column (it is ignored then).</param>
    /// <returns>The events, one per row, in log order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="entityKeys"/> is <see langword="null"/>, or <paramref name="segmentKeys"/> is <see langword="null"/> while the log has a segment column.</exception>
    /// <exception cref="ArgumentException">A row has a stage or loss-reason ordinal that the definition lacks, or an entity id or segment code outside the lists, or the key it maps to is blank (the message names the row and the value).</exception>
    public FunnelEvent[] ToEvents(FunnelDefinition definition, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys = null) =>
        ToEvents(definition, entityKeys, segmentKeys, nameof(entityKeys), nameof(segmentKeys));

    private FunnelEvent[] ToEvents(FunnelDefinition definition, IReadOnlyList<string> entityKeys, IReadOnlyList<string>? segmentKeys, string entityParameter, string segmentParameter)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(entityKeys, entityParameter);
        Guard.Against.MissingSegmentKeys(this, segmentKeys, segmentParameter);

        var stageKeys = definition.Stages.Select(s => s.Key).ToArray();
        var reasonKeys = definition.LossReasons.Select(r => r.Key).ToArray();
        var events = new FunnelEvent[_count];
        for (var i = 0; i < _count; i++)
        {
            var stage = _stages[i];
            if (stage >= stageKeys.Length)
            {
                throw new ArgumentException(
                    $"Row {i}: the stage ordinal {stage} is not a stage of '{definition.Key}', which has {stageKeys.Length} stages (ordinals 0..{stageKeys.Length - 1}).",
                    nameof(definition));
            }

            var reason = _lossReasons[i];
            if (reason >= reasonKeys.Length)
            {
                throw new ArgumentException(
                    $"Row {i}: the loss-reason ordinal {reason} is not a loss reason of '{definition.Key}', which has {reasonKeys.Length} loss reasons.",
                    nameof(definition));
            }

            var entity = _entityIds[i];
            if (entity >= entityKeys.Count || string.IsNullOrWhiteSpace(entityKeys[entity]))
            {
                throw new ArgumentException(
                    entity >= entityKeys.Count
                        ? $"Row {i}: the entity id {entity} has no key; {entityKeys.Count} entity keys were given."
                        : $"Row {i}: the entity id {entity} maps to a blank key.",
                    entityParameter);
            }

            string? segment = null;
            if (_segments is not null && _segments[i] != NoSegment)
            {
                var code = _segments[i];
                if (code >= segmentKeys!.Count)
                {
                    throw new ArgumentException(
                        $"Row {i}: the segment code {code} has no key; {segmentKeys.Count} segment keys were given.",
                        segmentParameter);
                }

                segment = segmentKeys[code];
            }

            events[i] = new FunnelEvent(
                entityKeys[entity],
                stageKeys[stage],
                DateTimeOffset.FromUnixTimeSeconds(_timestamps[i]),
                reason == NoLossReason ? default : reasonKeys[reason],
                segment);
        }

        return events;
    }

    /// <summary>Takes ownership of the given arrays without copying; callers must not change them afterwards.</summary>
    internal static TransitionLog Wrap(int[] entityIds, short[] stages, long[] timestamps, short[] lossReasons, int[]? segments, int count) =>
        new(entityIds, stages, timestamps, lossReasons, segments, count);

    /// <summary>
    /// Wraps columns whose rows a reader has already checked (entity ids 0..<paramref name="entityIdLimit"/>-1,
    /// stages and loss reasons in range, timestamps within the years 1 to 9999, segments of -1 or more) with the
    /// limits it computed while reading: no second pass over the rows.
    /// </summary>
    internal static TransitionLog WrapChecked(int[] entityIds, short[] stages, long[] timestamps, short[] lossReasons, int[]? segments, int count, int entityIdLimit, int stageLimit, int lossReasonLimit, bool timeOrdered) =>
        new(entityIds, stages, timestamps, lossReasons, segments, count, entityIdLimit, stageLimit, lossReasonLimit, timeOrdered);

    private TransitionLog(int[] entityIds, short[] stages, long[] timestamps, short[] lossReasons, int[]? segments, int count, int entityIdLimit, int stageLimit, int lossReasonLimit, bool timeOrdered)
    {
        _entityIds = entityIds;
        _stages = stages;
        _timestamps = timestamps;
        _lossReasons = lossReasons;
        _segments = segments;
        _count = count;
        EntityIdLimit = entityIdLimit;
        StageLimit = stageLimit;
        LossReasonLimit = lossReasonLimit;
        IsTimeOrdered = timeOrdered;
    }

    /// <summary>Returns the events <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/> as a new log (a copy).</summary>
    /// <param name="start">The first row.</param>
    /// <param name="length">The number of rows.</param>
    /// <returns>The slice.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the log.</exception>
    public TransitionLog Slice(int start, int length)
    {
        Guard.Against.NegativeNumber(start);
        Guard.Against.NegativeNumber(length);
        Guard.Against.GreaterThan(length, _count - start, nameof(length));
        return Create(
            EntityIds.Slice(start, length),
            Stages.Slice(start, length),
            Timestamps.Slice(start, length),
            LossReasons.Slice(start, length),
            HasSegments ? Segments.Slice(start, length) : default);
    }

    /// <summary>Returns the log as text.</summary>
    /// <returns>A text such as <c>TransitionLog (1000 events, 300 entity ids, time ordered)</c>.</returns>
    public override string ToString() =>
        $"TransitionLog ({_count} events, {EntityIdLimit} entity ids, {(IsTimeOrdered ? "time ordered" : "not time ordered")})";
}
