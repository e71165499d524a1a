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

    /// <summary>The stage of the entity's previous event plus one; 0 before its first event.</summary>
    public short LastStagePlusOne;

    /// <summary>The window-funnel level: 0 before the anchor, then 1 + the number of stages matched.</summary>
    public short Level;
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
    private readonly DurationSink[] _sinks;
    private readonly List<ReadOnlyMemory<uint>>[] _fullSegments;
    private readonly List<long>[] _largeDurations;
    private EventRecord[] _sortBuffer = [];
    private int[] _sortIndex = [];

    public EngineWorker(int stages, int reasons, long window)
    {
        _stages = stages;
        _reasons = reasons;
        _window = window;
        _reached = new long[stages];
        _transitions = new long[stages * (stages + 1)];
        _losses = new long[stages * reasons];
        _stays = new long[stages];
        _totals = new long[stages];
        _sinks = new DurationSink[stages];
        _fullSegments = new List<ReadOnlyMemory<uint>>[stages];
        _largeDurations = new List<long>[stages];
        for (var s = 0; s < stages; s++)
        {
            _sinks[s].Segment = [];
            _fullSegments[s] = [];
            _largeDurations[s] = [];
        }
    }

    public long Events { get; private set; }

    public long Entities { get; private set; }

    /// <summary>Processes the events of one bucket; they are in log order and every entity's events are in the bucket.</summary>
    public void ProcessBucket(Span<EventRecord> records, EntityState[] states, bool timeOrdered)
    {
        if (!timeOrdered)
        {
            records = SortByEntityThenTime(records);
        }

        Process(records, states);
    }

    /// <summary>
    /// The kernel: one step of the canonical semantics per event, against the entity's carried state.
    /// Events must reach it in each entity's (stable) time order.
    /// </summary>
    private void Process(ReadOnlySpan<EventRecord> records, EntityState[] states)
    {
        var stageCount = _stages;
        var columns = stageCount + 1;
        var reasons = _reasons;
        var window = _window;
        var reached = _reached;
        var transitions = _transitions;
        var losses = _losses;
        var stays = _stays;
        var totals = _totals;
        var sinks = _sinks;
        long newEntities = 0;

        foreach (ref readonly var record in records)
        {
            ref var state = ref states[record.Entity];
            int stage = record.Stage;
            int reason = record.Reason;
            var time = record.Time;
            var isLoss = reason >= 0;
            int previous = state.LastStagePlusOne - 1;
            if (previous >= 0)
            {
                var duration = time - state.LastTime;
                if (duration < 0)
                {
                    ThrowOutOfOrder(record.Entity, time, state.LastTime);
                }

                unchecked
                {
                    transitions[(previous * columns) + (isLoss ? stageCount : stage)]++;
                    stays[previous]++;
                }

                totals[previous] = checked(totals[previous] + duration);
                ref var sink = ref sinks[previous];
                if ((ulong)duration <= uint.MaxValue && sink.Position < sink.Segment.Length)
                {
                    sink.Segment[sink.Position++] = (uint)duration;
                }
                else
                {
                    AddSlow(previous, duration);
                }

                if (isLoss)
                {
                    unchecked
                    {
                        losses[(previous * reasons) + reason]++;
                    }
                }
            }
            else
            {
                newEntities++;
                if (isLoss)
                {
                    unchecked
                    {
                        losses[(stage * reasons) + reason]++;
                    }
                }
            }

            if (!isLoss)
            {
                int level = state.Level;
                if (level == 0)
                {
                    if (stage == 0)
                    {
                        state.Level = 1;
                        state.AnchorTime = time;
                        unchecked
                        {
                            reached[0]++;
                        }
                    }
                }
                else if (stage == level && time - state.AnchorTime <= window)
                {
                    state.Level = (short)(level + 1);
                    unchecked
                    {
                        reached[level]++;
                    }
                }
            }

            state.LastStagePlusOne = (short)(stage + 1);
            state.LastTime = time;
        }

        Events += records.Length;
        Entities += newEntities;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddSlow(int stage, long duration)
    {
        if ((ulong)duration > uint.MaxValue)
        {
            _largeDurations[stage].Add(duration);
            return;
        }

        ref var sink = ref _sinks[stage];
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

    /// <summary>Orders a bucket's events by entity, then time, ties keeping log order (a stable sort).</summary>
    private Span<EventRecord> SortByEntityThenTime(Span<EventRecord> records)
    {
        var n = records.Length;
        if (_sortIndex.Length < n)
        {
            _sortIndex = new int[Math.Max(n, _sortIndex.Length * 2)];
            _sortBuffer = new EventRecord[_sortIndex.Length];
        }

        var index = _sortIndex.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            index[i] = i;
        }

        var copy = _sortBuffer.AsSpan(0, n);
        records.CopyTo(copy);
        index.Sort(new StableComparer(_sortBuffer));
        for (var i = 0; i < n; i++)
        {
            records[i] = copy[index[i]];
        }

        return records;
    }

    /// <summary>Adds this worker's counters into the given totals and hands over its durations (segments are never written again).</summary>
    public void CollectInto(AggregateBuilder target)
    {
        Add(target.Reached, _reached);
        Add(target.Transitions, _transitions);
        Add(target.Losses, _losses);
        Add(target.Stays, _stays);
        Add(target.Totals, _totals);
        target.Events += Events;
        target.Entities += Entities;
        for (var s = 0; s < _stages; s++)
        {
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
    }

    private static void Add(long[] target, long[] source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = checked(target[i] + source[i]);
        }
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
