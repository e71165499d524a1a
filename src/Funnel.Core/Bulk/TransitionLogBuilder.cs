namespace Funnel.Core.Bulk;

/// <summary>
/// Appends events row by row and builds a <see cref="TransitionLog"/> without copying the columns again.
/// </summary>
/// <remarks>
/// A builder is single-use: after <see cref="Build"/> it is spent and further calls throw
/// <see cref="InvalidOperationException"/>. Instances are not thread-safe.
/// </remarks>
public sealed class TransitionLogBuilder
{
    private int[] _entityIds;
    private short[] _stages;
    private long[] _timestamps;
    private short[] _lossReasons;
    private int[]? _segments;
    private int _count;
    private bool _built;

    /// <summary>Creates a builder.</summary>
    /// <param name="capacity">The number of events to reserve room for; default 1024.</param>
    /// <param name="withSegments">Whether the log has a segment column; default <see langword="false"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public TransitionLogBuilder(int capacity = 1024, bool withSegments = false)
    {
        Guard.Against.NegativeNumber(capacity);
        capacity = Math.Max(capacity, 16);
        _entityIds = new int[capacity];
        _stages = new short[capacity];
        _timestamps = new long[capacity];
        _lossReasons = new short[capacity];
        _segments = withSegments ? new int[capacity] : null;
    }

    /// <summary>Gets the number of events added so far.</summary>
    public int Count => _count;

    /// <summary>Appends an event.</summary>
    /// <param name="entityId">The entity id; not negative.</param>
    /// <param name="stage">The stage ordinal: the stage entered, or the stage lost at for a loss event; 0..32767.</param>
    /// <param name="timestamp">The time in Unix seconds.</param>
    /// <param name="lossReason">The loss-reason ordinal of a loss event (0..32767); default <see cref="TransitionLog.NoLossReason"/> for an entry.</param>
    /// <param name="segment">The segment code; default <see cref="TransitionLog.NoSegment"/>. Ignored when the builder has no segment column.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="InvalidOperationException">The builder was already built.</exception>
    public TransitionLogBuilder Add(int entityId, int stage, long timestamp, int lossReason = TransitionLog.NoLossReason, int segment = TransitionLog.NoSegment)
    {
        ThrowIfBuilt();
        Guard.Against.NegativeNumber(entityId);
        Guard.Against.NegativeNumber(stage);
        Guard.Against.GreaterThan(stage, short.MaxValue);
        Guard.Against.NotBetween(lossReason, TransitionLog.NoLossReason, short.MaxValue);
        Guard.Against.NotBetween(timestamp, TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp);
        Guard.Against.LessThan(segment, TransitionLog.NoSegment);
        if (_count == _entityIds.Length)
        {
            Grow();
        }

        _entityIds[_count] = entityId;
        _stages[_count] = (short)stage;
        _timestamps[_count] = timestamp;
        _lossReasons[_count] = (short)lossReason;
        if (_segments is not null)
        {
            _segments[_count] = segment;
        }

        _count++;
        return this;
    }

    /// <summary>Builds the log and spends the builder.</summary>
    /// <returns>The log, in the order the events were added.</returns>
    /// <exception cref="InvalidOperationException">The builder was already built.</exception>
    public TransitionLog Build()
    {
        ThrowIfBuilt();
        _built = true;
        return TransitionLog.Wrap(_entityIds, _stages, _timestamps, _lossReasons, _segments, _count);
    }

    private void Grow()
    {
        var size = (int)Math.Min(Array.MaxLength, (long)_entityIds.Length * 2);
        if (size == _entityIds.Length)
        {
            throw new InvalidOperationException($"A transition log holds at most {Array.MaxLength} events.");
        }

        Array.Resize(ref _entityIds, size);
        Array.Resize(ref _stages, size);
        Array.Resize(ref _timestamps, size);
        Array.Resize(ref _lossReasons, size);
        if (_segments is not null)
        {
            Array.Resize(ref _segments, size);
        }
    }

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its log; create a new builder.");
        }
    }
}
