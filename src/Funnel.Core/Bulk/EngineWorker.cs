using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Funnel.Core.Bulk;

/// <summary>The per-entity state the engine carries from one event of an entity to the next (20 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EntityState
{
    public long LastTime;
    public long AnchorTime;

    /// <summary>
    /// The stage count minus the stage of the entity's previous event (1..stages) in the low 15 bits, and bit 15 set
    /// when that event was a loss; 0 before its first event. After the entity's last event it holds the entity's
    /// outcome (<see cref="CountLastEvents"/>). Stage counts stay below 2^15, so the flag costs no extra state.
    /// </summary>
    public short Distance;

    /// <summary>The window-funnel level: 0 before the anchor, then 1 + the number of stages matched.</summary>
    public short Level;

    /// <summary>
    /// Counts the entities by their last event, once per entity after all of its events: <paramref name="lastEvents"/>[s]
    /// for an entry into stage s, [stages + 1] for a loss; slot [stages] collects the ids without events and is ignored.
    /// Branch-free, so a random mix of outcomes costs no mispredictions.
    /// </summary>
    public static void CountLastEvents(ReadOnlySpan<EntityState> states, int stageCount, long[] lastEvents)
    {
        unchecked
        {
            foreach (ref readonly var state in states)
            {
                int packed = (ushort)state.Distance;
                var distance = packed & 0x7FFF;
                var isLoss = packed >> 15;

                // An entry: stageCount - distance = its stage. No event: stageCount. A loss (distance >= 1): stageCount + 1.
                lastEvents[stageCount - distance + ((distance + 1) & -isLoss)]++;
            }
        }
    }
}

/// <summary>One event as the engine reads it after partitioning by entity (16 bytes, one cache line holds four).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EventRecord
{
    public int Entity;
    public short Stage;
    public short Reason;
    public long Time;
}

/// <summary>An append-only buffer of <c>uint</c> durations for one stage, in fixed-size segments.</summary>
internal struct DurationSink
{
    public uint[] Segment;
    public int Position;
}

/// <summary>
/// The counters of one worker thread. A worker processes whole entities (a bucket of entity ids at a time), so its
/// counters are a partial aggregate over a disjoint set of entities and merge by addition.
/// </summary>
/// <remarks>
/// The kernel is branch-free on data: an entity's first event is counted in an extra "no previous stage" row
/// (index <c>stages</c>) of the pair counters, and an entry event in an extra column 0 of the loss counters, so
/// every event does the same work and the CPU never mispredicts on the data.
/// </remarks>
internal sealed class EngineWorker
{
    private const int SegmentLength = 1 << 16;

    private readonly int _stages;
    private readonly int _reasons;
    private readonly long _window;
    private readonly long[] _reached;
    private readonly long[] _transitions;
    private readonly long[] _losses;
    private readonly long[] _stays;
    private readonly long[] _totals;
    private readonly long[] _lastEvents;
    private readonly DurationSink[] _sinks;
    private readonly List<ReadOnlyMemory<uint>>[] _fullSegments;
    private readonly List<long>[] _largeDurations;
    private EventRecord[] _sortBuffer = [];
    private int[] _sortIndex = [];
    private int[] _sortOffsets = [];
    private EntityState[] _localStates = [];

    public EngineWorker(int stages, int reasons, long window)
    {
        _stages = stages;
        _reasons = reasons;
        _window = window;
        _reached = new long[stages + 1];
        _transitions = new long[(stages + 1) * (stages + 1)];
        _losses = new long[stages * (reasons + 1)];
        _stays = new long[stages + 1];
        _totals = new long[stages + 1];
        _lastEvents = new long[stages + 2];
        _sinks = new DurationSink[stages + 1];
        _fullSegments = new List<ReadOnlyMemory<uint>>[stages];
        _largeDurations = new List<long>[stages];
        for (var s = 0; s <= stages; s++)
        {
            _sinks[s].Segment = [];
        }

        for (var s = 0; s < stages; s++)
        {
            _fullSegments[s] = [];
            _largeDurations[s] = [];
        }
    }

    public long Events { get; private set; }

    /// <summary>Processes the events of one bucket against the shared per-entity state (streaming mode).</summary>
    public void ProcessBucket(Span<EventRecord> records, EntityState[] states, bool timeOrdered)
    {
        if (!timeOrdered)
        {
            records = SortByEntityThenTime(records);
        }

        Process(records, states, 0);
    }

    /// <summary>
    /// Processes the events of one bucket whose entity ids are <paramref name="firstId"/>..+<paramref name="idCount"/>
    /// with state local to the bucket (single-chunk mode: no state survives the bucket).
    /// </summary>
    public void ProcessBucketLocal(Span<EventRecord> records, int firstId, int idCount, bool timeOrdered)
    {
        if (_localStates.Length < idCount)
        {
            _localStates = new EntityState[idCount];
        }
        else
        {
            Array.Clear(_localStates, 0, idCount);
        }

        if (!timeOrdered)
        {
            records = SortByEntityThenTime(records);
        }

        Process(records, _localStates, firstId);

        // Every event of these entities has been seen: their state is final, so count their outcomes (once per id).
        EntityState.CountLastEvents(_localStates.AsSpan(0, idCount), _stages, _lastEvents);
    }

    /// <summary>
    /// The kernel: one step of the canonical semantics per event, against the entity's carried state.
    /// Events must reach it in each entity's (stable) time order. Conditions become masks, not branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Process(ReadOnlySpan<EventRecord> records, EntityState[] states, int firstId)
    {
        var stageCount = _stages;
        var columns = stageCount + 1;
        var lossColumns = _reasons + 1;
        var window = _window;
        var reached = _reached;
        var transitions = _transitions;
        var losses = _losses;
        var stays = _stays;
        var totals = _totals;
        var sinks = _sinks;

        unchecked
        {
            foreach (ref readonly var record in records)
            {
                ref var state = ref states[record.Entity - firstId];
                int stage = record.Stage;
                int reason = record.Reason;
                var time = record.Time;

                // state.Distance = stageCount - previous stage (bit 15: it was a loss); 0 (zeroed state) means "no
                // previous event" and selects row stageCount.
                var distance = state.Distance & 0x7FFF;
                var row = stageCount - distance;
                var hasPrevious = (int)((uint)-distance >> 31);
                var duration = (time - state.LastTime) & -(long)hasPrevious;
                if (duration < 0)
                {
                    ThrowOutOfOrder(record.Entity, time, state.LastTime);
                }

                var isLoss = (int)((uint)reason >> 31) ^ 1;
                int level = state.Level;
                var levelIsZero = level == 0 ? 1 : 0;
                var advances = (isLoss ^ 1) & (stage == level ? 1 : 0) & (levelIsZero | (time - state.AnchorTime <= window ? 1 : 0));

                transitions[(row * columns) + stage + ((stageCount - stage) & -isLoss)]++;
                stays[row]++;
                losses[((stage + ((row - stage) & -hasPrevious)) * lossColumns) + reason + 1]++;
                reached[level] += advances;
                totals[row] = checked(totals[row] + duration);

                ref var sink = ref sinks[row];
                if ((ulong)duration <= uint.MaxValue && sink.Position < sink.Segment.Length)
                {
                    sink.Segment[sink.Position++] = (uint)duration;
                }
                else
                {
                    AddSlow(row, duration);
                }

                state.AnchorTime += (time - state.AnchorTime) & -(long)levelIsZero;
                state.Level = (short)(level + advances);
                state.Distance = (short)((stageCount - stage) | (isLoss << 15));
                state.LastTime = time;
            }
        }

        Events += records.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddSlow(int stage, long duration)
    {
        ref var sink = ref _sinks[stage];
        if (stage == _stages)
        {
            // The "no previous stage" row keeps no durations: recycle its scratch segment.
            if (sink.Segment.Length == 0)
            {
                sink.Segment = new uint[SegmentLength];
            }

            sink.Position = 0;
            return;
        }

        if ((ulong)duration > uint.MaxValue)
        {
            _largeDurations[stage].Add(duration);
            return;
        }

        if (sink.Position > 0)
        {
            _fullSegments[stage].Add(sink.Segment.AsMemory(0, sink.Position));
        }

        sink.Segment = GC.AllocateUninitializedArray<uint>(SegmentLength);
        sink.Segment[0] = (uint)duration;
        sink.Position = 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfOrder(int entity, long time, long lastTime) =>
        throw new TransitionOrderException(entity, time, lastTime);

    /// <summary>
    /// Orders a bucket's events by entity, then time, ties keeping log order (a stable sort). A bucket holds a compact
    /// range of entity ids, so the events are first grouped by entity with a stable counting sort (O(n), most events of
    /// an entity already come in time order), then each entity's few events are put in time order by insertion; a wide
    /// id range or an entity with many out-of-order events falls back to a stable comparison sort.
    /// </summary>
    private Span<EventRecord> SortByEntityThenTime(Span<EventRecord> records)
    {
        var n = records.Length;
        if (n < 2)
        {
            return records;
        }

        EnsureSortCapacity(n);
        int min = int.MaxValue, max = int.MinValue;
        foreach (ref readonly var record in records)
        {
            min = Math.Min(min, record.Entity);
            max = Math.Max(max, record.Entity);
        }

        var range = (long)max - min + 1;
        if (range > (4L * n) + 1024)
        {
            SortByComparison(records, 0, n);
            return records;
        }

        // Stable counting sort by entity into the sort buffer; afterwards offsets[e] is the end of entity e's group.
        if (_sortOffsets.Length < range)
        {
            _sortOffsets = new int[Math.Max((int)range, _sortOffsets.Length * 2)];
        }

        var offsets = _sortOffsets.AsSpan(0, (int)range);
        offsets.Clear();
        foreach (ref readonly var record in records)
        {
            offsets[record.Entity - min]++;
        }

        var sum = 0;
        for (var e = 0; e < offsets.Length; e++)
        {
            var count = offsets[e];
            offsets[e] = sum;
            sum += count;
        }

        var grouped = _sortBuffer.AsSpan(0, n);
        foreach (ref readonly var record in records)
        {
            grouped[offsets[record.Entity - min]++] = record;
        }

        grouped.CopyTo(records);
        var begin = 0;
        foreach (var end in offsets)
        {
            if (end - begin > 1)
            {
                SortGroupByTime(records, begin, end);
            }

            begin = end;
        }

        return records;
    }

    /// <summary>Puts one entity's events (in log order) in time order, ties keeping log order.</summary>
    private void SortGroupByTime(Span<EventRecord> records, int begin, int end)
    {
        var group = records[begin..end];
        var outOfOrder = 0;
        for (var i = 1; i < group.Length; i++)
        {
            outOfOrder += group[i].Time < group[i - 1].Time ? 1 : 0;
        }

        if (outOfOrder == 0)
        {
            return;
        }

        if (group.Length > 64 && outOfOrder > 8)
        {
            SortByComparison(records, begin, end);
            return;
        }

        // Insertion sort: moves an event only past strictly later ones, so equal times keep their log order.
        for (var i = 1; i < group.Length; i++)
        {
            var current = group[i];
            var j = i - 1;
            while (j >= 0 && group[j].Time > current.Time)
            {
                group[j + 1] = group[j];
                j--;
            }

            group[j + 1] = current;
        }
    }

    /// <summary>Stable comparison sort of records[begin..end] by entity, time, then position.</summary>
    private void SortByComparison(Span<EventRecord> records, int begin, int end)
    {
        var n = end - begin;
        var index = _sortIndex.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            index[i] = i;
        }

        var copy = _sortBuffer.AsSpan(0, n);
        records[begin..end].CopyTo(copy);
        index.Sort(new StableComparer(_sortBuffer));
        for (var i = 0; i < n; i++)
        {
            records[begin + i] = copy[index[i]];
        }
    }

    private void EnsureSortCapacity(int n)
    {
        if (_sortIndex.Length < n)
        {
            _sortIndex = new int[Math.Max(n, _sortIndex.Length * 2)];
            _sortBuffer = new EventRecord[_sortIndex.Length];
        }
    }

    /// <summary>Adds this worker's counters into the given totals and hands over its durations (segments are never written again below their handed-over length).</summary>
    public void CollectInto(AggregateBuilder target)
    {
        var stages = _stages;
        var lossColumns = _reasons + 1;
        for (var s = 0; s < stages; s++)
        {
            target.Reached[s] = checked(target.Reached[s] + _reached[s]);
            target.Stays[s] = checked(target.Stays[s] + _stays[s]);
            target.Totals[s] = checked(target.Totals[s] + _totals[s]);
            for (var c = 0; c <= stages; c++)
            {
                target.Transitions[(s * (stages + 1)) + c] = checked(target.Transitions[(s * (stages + 1)) + c] + _transitions[(s * (stages + 1)) + c]);
            }

            for (var r = 0; r < _reasons; r++)
            {
                target.Losses[(s * _reasons) + r] = checked(target.Losses[(s * _reasons) + r] + _losses[(s * lossColumns) + r + 1]);
            }

            target.Small[s].AddRange(_fullSegments[s]);
            ref var sink = ref _sinks[s];
            if (sink.Position > 0)
            {
                target.Small[s].Add(sink.Segment.AsMemory(0, sink.Position));
            }

            if (_largeDurations[s].Count > 0)
            {
                target.Large[s].Add(_largeDurations[s].ToArray());
            }
        }

        for (var s = 0; s < _lastEvents.Length; s++)
        {
            target.LastEvents[s] = checked(target.LastEvents[s] + _lastEvents[s]);
        }

        target.Events += Events;
        target.Entities += _stays[stages];
    }

    private readonly struct StableComparer(EventRecord[] records) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            ref readonly var a = ref records[x];
            ref readonly var b = ref records[y];
            var c = a.Entity.CompareTo(b.Entity);
            if (c == 0)
            {
                c = a.Time.CompareTo(b.Time);
            }

            return c != 0 ? c : x.CompareTo(y);
        }
    }
}

/// <summary>Mutable totals used while merging workers into an immutable <see cref="TransitionAggregate"/>.</summary>
internal sealed class AggregateBuilder
{
    public AggregateBuilder(int stages, int reasons)
    {
        Reached = new long[stages];
        Transitions = new long[stages * (stages + 1)];
        Losses = new long[stages * reasons];
        Stays = new long[stages];
        Totals = new long[stages];
        LastEvents = new long[stages + 2];
        Small = new List<ReadOnlyMemory<uint>>[stages];
        Large = new List<ReadOnlyMemory<long>>[stages];
        for (var s = 0; s < stages; s++)
        {
            Small[s] = [];
            Large[s] = [];
        }
    }

    public long[] Reached { get; }

    public long[] Transitions { get; }

    public long[] Losses { get; }

    public long[] Stays { get; }

    public long[] Totals { get; }

    /// <summary>Entities by their last event, laid out as <see cref="EntityState.CountLastEvents"/> counts them.</summary>
    public long[] LastEvents { get; }

    public List<ReadOnlyMemory<uint>>[] Small { get; }

    public List<ReadOnlyMemory<long>>[] Large { get; }

    public long Events { get; set; }

    public long Entities { get; set; }

    public ImmutableArray<DurationSet> BuildDurations()
    {
        var result = ImmutableArray.CreateBuilder<DurationSet>(Small.Length);
        for (var s = 0; s < Small.Length; s++)
        {
            result.Add(DurationSet.Create([.. Small[s]], [.. Large[s]]));
        }

        return result.MoveToImmutable();
    }
}
