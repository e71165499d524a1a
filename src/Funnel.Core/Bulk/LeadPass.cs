using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>
/// The per-lead pass of one worker for the funnel modes: groups a bucket's events by lead in (time, stage) order,
/// runs <see cref="LeadEvaluator"/> on each lead, sets its level and counts what the kernel cannot (leads dropped by
/// exclusions, optional steps reached, time to convert). Its counts merge by addition like the worker's.
/// </summary>
internal sealed class LeadPass
{
    private readonly int _stages;
    private readonly FunnelModes _modes;
    private readonly LeadEvaluator _evaluator;
    private readonly long[] _optionalReached;
    private readonly List<long>[] _fromAnchor;
    private readonly List<long>[] _fromPrevious;
    private LeadEvent[] _events = [];
    private long _excluded;

    public LeadPass(int stages, long window, ImmutableArray<long> stepWindows, FunnelModes modes)
    {
        _stages = stages;
        _modes = modes;
        _evaluator = new LeadEvaluator(stages, window, stepWindows, modes);
        _optionalReached = new long[stages];
        _fromAnchor = new List<long>[stages];
        _fromPrevious = new List<long>[stages];
        for (var k = 0; k < stages; k++)
        {
            _fromAnchor[k] = [];
            _fromPrevious[k] = [];
        }
    }

    /// <summary>Sets the level of every entity of a bucket (0 for entities without an attempt or dropped by exclusions) and counts the modes' extras.</summary>
    public void Resolve<TRecord, TCodec>(ReadOnlySpan<TRecord> records, Span<EntityState> states, TCodec codec)
        where TRecord : unmanaged
        where TCodec : struct, IRecordCodec<TRecord>
    {
        if (_events.Length < records.Length)
        {
            _events = new LeadEvent[Math.Max(records.Length, _events.Length * 2)];
        }

        var n = 0;
        foreach (ref readonly var record in records)
        {
            var slot = codec.ReasonSlot(in record);
            var stage = codec.Stage(in record);
            _events[n++] = new LeadEvent(codec.StateIndex(in record), codec.Time(in record), slot == 0 ? stage : _stages + slot - 1, slot == 0 ? stage : -1, slot - 1);
        }

        foreach (ref var state in states)
        {
            state.Level = 0;
        }

        var events = _events.AsSpan(0, n);
        events.Sort();
        var times = _evaluator.Times;
        var start = 0;
        while (start < n)
        {
            var entity = events[start].Entity;
            var end = start + 1;
            while (end < n && events[end].Entity == entity)
            {
                end++;
            }

            var level = _evaluator.Evaluate(events[start..end], out var excluded);
            states[entity].Level = (ushort)level;
            _excluded += excluded ? 1 : 0;
            if (level > 0)
            {
                Count(times, level);
            }

            start = end;
        }
    }

    private void Count(long[] times, int level)
    {
        foreach (var s in _modes.OptionalSteps)
        {
            _optionalReached[s] += times[s] != LeadEvaluator.None ? 1 : 0;
        }

        if (!_modes.ConversionTimes)
        {
            return;
        }

        for (var k = 1; k < level; k++)
        {
            if (times[k] == LeadEvaluator.None)
            {
                continue;
            }

            // The previous step with a reach time not after this one's: an optional step matched only by a later chain
            // than the one that skipped it is passed over; step 0 always qualifies.
            var previous = k - 1;
            while (times[previous] == LeadEvaluator.None || times[previous] > times[k])
            {
                previous--;
            }

            _fromAnchor[k].Add(times[k] - times[0]);
            _fromPrevious[k].Add(times[k] - times[previous]);
        }
    }

    /// <summary>Adds this pass's counts into the totals.</summary>
    public void CollectInto(AggregateBuilder target)
    {
        target.Excluded = checked(target.Excluded + _excluded);
        for (var s = 0; s < _stages; s++)
        {
            target.OptionalReached[s] = checked(target.OptionalReached[s] + _optionalReached[s]);
            if (_fromAnchor[s].Count > 0)
            {
                target.FromAnchor[s].Add([.. _fromAnchor[s]]);
                target.FromPrevious[s].Add([.. _fromPrevious[s]]);
            }
        }
    }
}
