using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// The counters of one worker thread. A worker processes whole entities (a bucket of entity ids at a time), so its
/// counters are a partial aggregate over a disjoint set of entities and merge by addition.
/// </summary>
/// <remarks>
/// <para>The kernel is branch-free on data: an entity's first event is counted in an extra "no previous stage" row
/// (index <c>stages</c>), and an entry event in an extra loss slot 0, so every event does the same work and the CPU
/// never mispredicts on the data.</para>
/// <para>Per event it does one counter increment, one duration append and one state update. Everything else is
/// derived: stays and entities from the counters' rows, total time from the durations, and the window funnel and
/// the outcomes from each entity's final state.</para>
/// </remarks>
internal sealed class EngineWorker
{
    /// <summary>The largest length of a duration segment.</summary>
    public const int SegmentLength = 1 << 16;

    /// <summary>How many events the kernel runs between refills of the duration sinks.</summary>
    private const int StepLength = 1 << 12;

    private readonly int _stages;
    private readonly int _reasons;
    private readonly long _window;
    private readonly ImmutableArray<long> _stepWindows;
    private readonly long[]? _joint;
    private readonly long[] _transitions;
    private readonly long[] _losses;
    private readonly long[] _lastEvents;
    private readonly long[] _levels;
    private readonly DurationSink[] _sinks;
    private readonly List<ReadOnlyMemory<uint>>[] _fullSegments;
    private readonly List<long>[] _largeDurations;
    private readonly DurationScratch? _scratch;
    private readonly long[] _largeValues = new long[StepLength];
    private readonly int[] _largeRows = new int[StepLength];
    private Array _sortBuffer = Array.Empty<EventRecord>();
    private int[] _sortIndex = [];
    private int[] _sortOffsets = [];
    private EntityState[] _localStates = [];
    private readonly LeadPass? _leadPass;

    /// <summary>Creates a worker.</summary>
    /// <param name="stages">The number of stages.</param>
    /// <param name="reasons">The number of loss reasons.</param>
    /// <param name="window">The window funnel's window in seconds.</param>
    /// <param name="maxJointCounters">The largest <see cref="JointCounter"/> table to use (a few thousand longs stay in the first-level cache); beyond it, <see cref="SplitCounter"/>.</param>
    /// <param name="scratch">Where duration segments come from while it lasts (the durations then live only as long as the scratch); <see langword="null"/> to allocate them.</param>
    /// <param name="stepWindows">The per-step windows in seconds (<see cref="long.MaxValue"/> for none), or empty; with them every entity's level comes from <see cref="ExactLevels"/>.</param>
    /// <param name="modes">The funnel modes; when they need the per-lead pass (<see cref="FunnelModes.NeedsLeadPass"/>) every entity's level comes from <see cref="LeadEvaluator"/>.</param>
    public EngineWorker(int stages, int reasons, long window, int maxJointCounters, DurationScratch? scratch = null, ImmutableArray<long> stepWindows = default, FunnelModes? modes = null)
    {
        _stepWindows = stepWindows.IsDefault ? [] : stepWindows;
        if (modes is { NeedsLeadPass: true })
        {
            _leadPass = new LeadPass(stages, window, _stepWindows, modes);
        }

        _scratch = scratch;
        _stages = stages;
        _reasons = reasons;
        _window = window;
        var slots = reasons + 1;
        var rows = stages + 2; // the stages, "after a loss", "no previous event"
        if ((long)rows * stages * slots <= maxJointCounters)
        {
            _joint = new long[rows * stages * slots];
            _transitions = [];
            _losses = [];
        }
        else
        {
            _transitions = new long[rows * (stages + 1)];
            _losses = new long[rows * slots];
        }

        _lastEvents = new long[stages + 2];
        _levels = new long[stages + 1];
        _sinks = new DurationSink[rows];
        _fullSegments = new List<ReadOnlyMemory<uint>>[stages + 1];
        _largeDurations = new List<long>[stages + 1];
        for (var r = 0; r < rows; r++)
        {
            _sinks[r].Array = [];
        }

        for (var r = 0; r <= stages; r++)
        {
            _fullSegments[r] = [];
            _largeDurations[r] = [];
        }
    }

    public long Events { get; private set; }

    /// <summary>
    /// Processes the events of one bucket against the shared per-entity state (streaming mode). The codec maps an
    /// event to its entity's index in <paramref name="states"/>.
    /// </summary>
    public void ProcessBucket<TRecord, TCodec>(Span<TRecord> records, EntityState[] states, TCodec codec, bool timeOrdered)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        if (!timeOrdered)
        {
            SortByEntityThenTime(records, codec);
        }

        if (Process(records, states, codec) is { } overflowed)
        {
            // The carried state cannot hold more than 63 stages ahead at one timestamp, and the earlier chunks are
            // gone: say so rather than count a level that may be too low.
            throw new NotSupportedException(
                $"Entity {overflowed} has entries into more than 63 stages beyond its funnel level at one timestamp; "
                + "streamed logs cannot resolve that. Analyse the log in one piece (TransitionAnalyzer.Analyze or Aggregate).");
        }
    }

    /// <summary>
    /// Processes the events of one bucket of <paramref name="idCount"/> entity ids with state local to the bucket
    /// (single-chunk mode: no state survives the bucket). The codec maps an event to its entity's offset in the bucket.
    /// </summary>
    public void ProcessBucketLocal<TRecord, TCodec>(Span<TRecord> records, int idCount, TCodec codec, bool timeOrdered)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var states = LocalStates(idCount);
        if (!timeOrdered)
        {
            SortByEntityThenTime(records, codec);
        }

        if (_leadPass is not null)
        {
            Process(records, states, codec);
            _leadPass.Resolve(records, states.AsSpan(0, idCount), codec);
        }
        else if (Process(records, states, codec) is not null || !_stepWindows.IsEmpty)
        {
            ExactLevels.Resolve(records, states.AsSpan(0, idCount), codec, _window, _stepWindows, everyEntity: !_stepWindows.IsEmpty);
        }

        CountOutcomes(idCount);
    }

    private EntityState[] LocalStates(int idCount)
    {
        if (_localStates.Length < idCount)
        {
            _localStates = new EntityState[idCount];
        }
        else
        {
            Array.Clear(_localStates, 0, idCount);
        }

        return _localStates;
    }

    // Every event of these entities has been seen: their state is final, so count their outcomes (once per id).
    private void CountOutcomes(int idCount) =>
        EntityState.CountOutcomes(_localStates.AsSpan(0, idCount), _stages, _lastEvents, _levels);

    /// <summary>
    /// Runs the kernel over a bucket in steps of <see cref="StepLength"/> events. Before each step every duration sink
    /// gets room for the whole step, so the kernel itself never calls out: a call inside the loop would make the JIT
    /// keep its locals on the stack instead of in registers.
    /// </summary>
    /// <returns>The entity id of the first event that overflowed a tie mask (<see cref="EntityState.LevelOverflow"/>), or <see langword="null"/>.</returns>
    private int? Process<TRecord, TCodec>(ReadOnlySpan<TRecord> records, EntityState[] states, TCodec codec)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        int? overflowed = null;
        for (var start = 0; start < records.Length; start += StepLength)
        {
            var step = records.Slice(start, Math.Min(StepLength, records.Length - start));
            MakeRoom(step.Length);
            var (large, firstBad, badLastTime, firstOverflow) = _joint is not null
                ? Kernel(step, states, codec, new JointCounter(_joint, _stages, _reasons + 1))
                : Kernel(step, states, codec, new SplitCounter(_transitions, _losses, _stages, _reasons + 1));
            if (firstOverflow >= 0)
            {
                overflowed ??= codec.Entity(in step[firstOverflow]);
            }

            if (firstBad >= 0)
            {
                throw new TransitionOrderException(codec.Entity(in step[firstBad]), codec.Time(in step[firstBad]), badLastTime);
            }

            for (var i = 0; i < large; i++)
            {
                _largeDurations[_largeRows[i]].Add(_largeValues[i]);
            }

            Events += step.Length;
        }

        return overflowed;
    }

    /// <summary>
    /// The kernel: one step of the canonical semantics per event, against the entity's carried state.
    /// Events must reach it in each entity's (stable) time order. Conditions become masks, not branches; the
    /// branches left (a duration beyond 2^32 seconds, an event earlier than its entity's previous one, an entry more
    /// than 63 stages ahead at one timestamp) are never taken on real data and call nothing.
    /// </summary>
    /// <returns>
    /// How many durations went to the large buffer, the index of the first event that went back in time (-1 if none)
    /// with its entity's previous time, and the index of the first event that overflowed a tie mask (-1 if none).
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Large, int FirstBad, long BadLastTime, int FirstOverflow) Kernel<TRecord, TCodec, TCounter>(ReadOnlySpan<TRecord> records, EntityState[] states, TCodec codec, TCounter counter)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
        where TCounter : struct, IEventCounter
    {
        var stageCount = _stages;
        var none = stageCount + 1;
        var window = _window;
        var sinks = _sinks;
        var largeValues = _largeValues;
        var largeRows = _largeRows;
        var large = 0;
        var firstBad = -1;
        var badLastTime = 0L;
        var firstOverflow = -1;

        unchecked
        {
            for (var i = 0; i < records.Length; i++)
            {
                ref readonly var record = ref records[i];
                ref var state = ref states[codec.StateIndex(in record)];
                var stage = codec.Stage(in record);
                var slot = codec.ReasonSlot(in record);
                var time = codec.Time(in record);

                // The row of the previous event: its stage, stageCount after a loss, none (stageCount + 1) for a first event.
                int coded = state.Row;
                var row = none - coded;
                var hasPrevious = (int)((uint)-coded >> 31);
                var duration = (time - state.LastTime) & -(long)hasPrevious;
                if (duration < 0 && firstBad < 0)
                {
                    firstBad = i;
                    badLastTime = state.LastTime;
                }

                var isLoss = (int)((uint)-slot >> 31);
                var isEntry = isLoss ^ 1;

                // Window funnel: an entry into the stage of the level, within the window of the anchor, advances it.
                int levelBits = state.Level;
                var level = levelBits & ~EntityState.LevelOverflow;
                var levelIsZero = level == 0 ? 1 : 0;
                var usable = isEntry & (levelIsZero | (time - state.AnchorTime <= window ? 1 : 0));
                var ahead = stage - level;
                var advances = usable & (ahead == 0 ? 1 : 0);
                var newLevel = level + advances;

                // Entries that share a timestamp match in any order: the tie mask remembers the stages ahead of the level
                // entered at this timestamp, and an advance chains through them. Rare on real data (a usable entry ahead
                // of the level, or a mask left by one), so it is a branch the CPU predicts, not work for every event.
                var recordsAhead = usable & (ahead > 0 ? 1 : 0);
                if ((state.TieMask | (uint)recordsAhead) != 0)
                {
                    var mask = hasPrevious != 0 && time == state.LastTime ? state.TieMask : 0UL;
                    if (recordsAhead != 0)
                    {
                        if (ahead < 64)
                        {
                            mask |= 1UL << ahead;
                        }
                        else
                        {
                            levelBits |= EntityState.LevelOverflow;
                            firstOverflow = firstOverflow < 0 ? i : firstOverflow;
                        }
                    }

                    if (advances != 0)
                    {
                        var following = mask >> 1;
                        var chain = BitOperations.TrailingZeroCount(~following); // bit 63 of following is 0, so at most 63
                        newLevel += chain;
                        mask = following >> chain;
                    }

                    state.TieMask = mask;
                }

                state.Level = (ushort)(newLevel | (levelBits & EntityState.LevelOverflow));

                counter.Count(row, stage, slot, isLoss);

                // Every sink has room for the whole step (MakeRoom).
                ref var sink = ref sinks[row];
                if ((ulong)duration <= uint.MaxValue)
                {
                    sink.Array[sink.Position++] = (uint)duration;
                }
                else
                {
                    largeValues[large] = duration;
                    largeRows[large++] = row;
                }

                state.AnchorTime += (time - state.AnchorTime) & -(long)levelIsZero;
                state.Row = (ushort)(none - stage + ((stage - stageCount) & -isLoss));
                state.LastTime = time;
            }
        }

        return (large, firstBad, badLastTime, firstOverflow);
    }

    /// <summary>Gives every duration sink room for <paramref name="count"/> more durations (at most <see cref="StepLength"/>).</summary>
    private void MakeRoom(int count)
    {
        for (var row = 0; row < _sinks.Length; row++)
        {
            ref var sink = ref _sinks[row];
            if (sink.Limit - sink.Position >= count)
            {
                continue;
            }

            if (row == _stages + 1)
            {
                // The "no previous stage" row keeps no durations (they are all 0): recycle one step's worth of room.
                if (sink.Array.Length == 0)
                {
                    sink.Array = new uint[StepLength];
                    sink.Limit = StepLength;
                }

                sink.Position = 0;
                continue;
            }

            if (sink.Position > sink.Start)
            {
                _fullSegments[row].Add(sink.Filled);
            }

            // Segments start at one step and double up to SegmentLength, so that a stage that never has a stay (or
            // a funnel with many stages and few events) costs one small segment, not a large one.
            var length = sink.Limit == 0 ? StepLength : Math.Min(SegmentLength, 2 * (sink.Limit - sink.Start));
            if (_scratch is null || !_scratch.TryTake(length, out sink.Array, out sink.Start))
            {
                sink.Array = GC.AllocateUninitializedArray<uint>(length);
                sink.Start = 0;
            }

            sink.Position = sink.Start;
            sink.Limit = sink.Start + length;
        }
    }

    /// <summary>
    /// Orders a bucket's events by entity, then time, ties keeping log order (a stable sort). A bucket holds a compact
    /// range of entity ids, so the events are first grouped by entity with a stable counting sort (O(n), most events of
    /// an entity already come in time order), then each entity's few events are put in time order by insertion; a wide
    /// id range or an entity with many out-of-order events falls back to a stable comparison sort.
    /// </summary>
    private void SortByEntityThenTime<TRecord, TCodec>(Span<TRecord> records, TCodec codec)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var n = records.Length;
        if (n < 2)
        {
            return;
        }

        var buffer = SortBuffer<TRecord>(n);
        int min = int.MaxValue, max = int.MinValue;
        foreach (ref readonly var record in records)
        {
            var key = codec.StateIndex(in record);
            min = Math.Min(min, key);
            max = Math.Max(max, key);
        }

        var range = (long)max - min + 1;
        if (range > (4L * n) + 1024)
        {
            SortByComparison(records, 0, n, codec);
            return;
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
            offsets[codec.StateIndex(in record) - min]++;
        }

        var sum = 0;
        for (var e = 0; e < offsets.Length; e++)
        {
            var count = offsets[e];
            offsets[e] = sum;
            sum += count;
        }

        var grouped = buffer.AsSpan(0, n);
        foreach (ref readonly var record in records)
        {
            grouped[offsets[codec.StateIndex(in record) - min]++] = record;
        }

        grouped.CopyTo(records);
        var begin = 0;
        foreach (var end in offsets)
        {
            if (end - begin > 1)
            {
                SortGroupByTime(records, begin, end, codec);
            }

            begin = end;
        }
    }

    /// <summary>Puts one entity's events (in log order) in time order, ties keeping log order.</summary>
    private void SortGroupByTime<TRecord, TCodec>(Span<TRecord> records, int begin, int end, TCodec codec)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var group = records[begin..end];
        var outOfOrder = 0;
        for (var i = 1; i < group.Length; i++)
        {
            outOfOrder += codec.Time(in group[i]) < codec.Time(in group[i - 1]) ? 1 : 0;
        }

        if (outOfOrder == 0)
        {
            return;
        }

        if (group.Length > 64 && outOfOrder > 8)
        {
            SortByComparison(records, begin, end, codec);
            return;
        }

        // Insertion sort: moves an event only past strictly later ones, so equal times keep their log order.
        for (var i = 1; i < group.Length; i++)
        {
            var current = group[i];
            var time = codec.Time(in current);
            var j = i - 1;
            while (j >= 0 && codec.Time(in group[j]) > time)
            {
                group[j + 1] = group[j];
                j--;
            }

            group[j + 1] = current;
        }
    }

    /// <summary>Stable comparison sort of records[begin..end] by entity, time, then position.</summary>
    private void SortByComparison<TRecord, TCodec>(Span<TRecord> records, int begin, int end, TCodec codec)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        var n = end - begin;
        var index = _sortIndex.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            index[i] = i;
        }

        var copy = SortBuffer<TRecord>(n);
        records[begin..end].CopyTo(copy);
        index.Sort(new StableComparer<TRecord, TCodec>(copy, codec));
        for (var i = 0; i < n; i++)
        {
            records[begin + i] = copy[index[i]];
        }
    }

    /// <summary>The worker's sort buffer as <typeparamref name="TRecord"/>s, with room for <paramref name="n"/> (and an index as long).</summary>
    private TRecord[] SortBuffer<TRecord>(int n)
        where TRecord : unmanaged
    {
        if (_sortIndex.Length < n)
        {
            _sortIndex = new int[Math.Max(n, _sortIndex.Length * 2)];
        }

        if (_sortBuffer is not TRecord[] buffer || buffer.Length < _sortIndex.Length)
        {
            buffer = new TRecord[_sortIndex.Length];
            _sortBuffer = buffer;
        }

        return buffer;
    }

    /// <summary>
    /// Adds this worker's counts into the given totals and hands over its durations (segments are never written again
    /// below their handed-over length). The entities' window-funnel levels and outcomes are added only in single-chunk
    /// mode; in streaming mode the accumulator counts them from the shared state.
    /// </summary>
    public void CollectInto(AggregateBuilder target)
    {
        var stages = _stages;
        var columns = stages + 1;
        var slots = _reasons + 1;
        var (transitions, losses) = PairCounts();

        // Row stages + 1 of the transition counts holds first events: one per entity.
        for (var c = 0; c < columns; c++)
        {
            target.Entities = checked(target.Entities + transitions[((stages + 1) * columns) + c]);
        }

        // Rows 0..stages: the stages, then "after a loss".
        for (var row = 0; row <= stages; row++)
        {
            for (var c = 0; c < columns; c++)
            {
                var count = transitions[(row * columns) + c];
                target.Transitions[(row * columns) + c] = checked(target.Transitions[(row * columns) + c] + count);
                target.Stays[row] = checked(target.Stays[row] + count);
            }

            target.Small[row].AddRange(_fullSegments[row]);
            ref var sink = ref _sinks[row];
            if (sink.Position > sink.Start)
            {
                target.Small[row].Add(sink.Filled);
            }

            foreach (var segment in _fullSegments[row])
            {
                target.Totals[row] += DurationSet.Sum(segment.Span);
            }

            target.Totals[row] += DurationSet.Sum(sink.Filled.Span);
            foreach (var large in _largeDurations[row])
            {
                target.Totals[row] += large;
            }

            if (_largeDurations[row].Count > 0)
            {
                target.Large[row].Add(_largeDurations[row].ToArray());
            }
        }

        // Loss rows: the stages, "after a loss", "no previous event" (slot 0 counts entries and is skipped).
        for (var r = 0; r < _reasons; r++)
        {
            for (var s = 0; s < stages; s++)
            {
                target.Losses[(s * _reasons) + r] = checked(target.Losses[(s * _reasons) + r] + losses[(s * slots) + r + 1]);
            }

            target.LossesAfterLoss[r] = checked(target.LossesAfterLoss[r] + losses[(stages * slots) + r + 1]);
            target.LossesAtUnknownStage[r] = checked(target.LossesAtUnknownStage[r] + losses[((stages + 1) * slots) + r + 1]);
        }

        target.AddOutcomes(_lastEvents, _levels);
        target.Events += Events;
        _leadPass?.CollectInto(target);
    }

    /// <summary>
    /// The (stages + 2) x (stages + 1) transition counts (rows: the stages, after a loss, no previous event; columns:
    /// the stages, a loss) and the (stages + 2) x (reasons + 1) loss counts by the same rows (slot 0: entries).
    /// </summary>
    private (long[] Transitions, long[] Losses) PairCounts()
    {
        if (_joint is null)
        {
            return (_transitions, _losses);
        }

        var stages = _stages;
        var rows = stages + 2;
        var slots = _reasons + 1;
        var transitions = new long[rows * (stages + 1)];
        var losses = new long[rows * slots];
        for (var row = 0; row < rows; row++)
        {
            for (var stage = 0; stage < stages; stage++)
            {
                for (var slot = 0; slot < slots; slot++)
                {
                    var count = _joint[(((row * stages) + stage) * slots) + slot];
                    var column = slot == 0 ? stage : stages;
                    transitions[(row * (stages + 1)) + column] += count;
                    losses[(row * slots) + slot] += count;
                }
            }
        }

        return (transitions, losses);
    }

    private readonly struct StableComparer<TRecord, TCodec>(TRecord[] records, TCodec codec) : IComparer<int>
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        public int Compare(int x, int y)
        {
            ref readonly var a = ref records[x];
            ref readonly var b = ref records[y];
            var c = codec.StateIndex(in a).CompareTo(codec.StateIndex(in b));
            if (c == 0)
            {
                c = codec.Time(in a).CompareTo(codec.Time(in b));
            }

            return c != 0 ? c : x.CompareTo(y);
        }
    }
}
