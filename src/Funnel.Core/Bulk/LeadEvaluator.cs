using System.Collections.Immutable;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The per-lead pass of the funnel modes (docs/bulk.md rules 8–12): for one lead's events in (time, stage) order it
/// finds the counted attempt (anchor), its level and reach times T_k, and whether exclusions drop the lead.
/// One attempt costs one pass over the lead's events inside its window (times the stage count for strict order and
/// optional steps). <see cref="AnchorMode.Best"/> finds the counted attempt without a walk per anchor where it can
/// (ordered: a forward and a backward pass; ordered with exclusions: every anchor's reach times at once by
/// sliding-window minima, <see cref="AnchorReach"/>; unordered: a sliding window; strict: an attempt ends by the next
/// anchor's second) and then runs that one
/// attempt (docs/bulk.md, "Cost of the modes").
/// Buffers are reused from lead to lead; nothing is allocated per event.
/// </summary>
internal sealed class LeadEvaluator
{
    /// <summary>"No time": a step not reached.</summary>
    public const long None = long.MinValue;

    private readonly int _stages;
    private readonly long _window;
    private readonly long[] _stepWindows;
    private readonly bool[] _optional;
    private readonly bool _hasOptional;
    private readonly FunnelModes _modes;
    private readonly long[] _latest;
    private readonly long[] _times;
    private readonly bool[] _present;
    private readonly bool[] _reach;
    private readonly int[] _alive;

    // Best without a walk per anchor: the forward and backward passes, the sliding window, the lead's entry times by
    // stage and the exclusions' target times.
    private readonly long[] _dpEnd;
    private readonly long[] _dpFinal;
    private readonly long[] _dpStart;
    private readonly int[] _count;
    private readonly int[] _stageStart;
    private readonly int[] _stageNext;
    private readonly int[] _targetStart;
    private readonly AnchorReach _anchorReach;
    private long[] _stageTimes = [];
    private long[] _targetTimes = [];

    public LeadEvaluator(int stages, long window, ImmutableArray<long> stepWindows, FunnelModes modes)
    {
        _stages = stages;
        _window = window;
        _modes = modes;
        _stepWindows = new long[stages];
        for (var k = 1; k < stages; k++)
        {
            _stepWindows[k] = stepWindows.IsDefaultOrEmpty ? long.MaxValue : stepWindows[k - 1];
        }

        _optional = new bool[stages];
        foreach (var s in modes.OptionalSteps)
        {
            _optional[s] = true;
            _hasOptional = true;
        }

        _latest = new long[stages];
        _times = new long[stages];
        Times = new long[stages];
        _present = new bool[stages];
        _reach = new bool[stages];
        _alive = new int[stages];
        _dpEnd = new long[stages];
        _dpFinal = new long[stages];
        _dpStart = new long[stages];
        _count = new int[stages];
        _stageStart = new int[stages + 1];
        _stageNext = new int[stages];
        _targetStart = new int[modes.Exclusions.Length + 1];
        _anchorReach = new AnchorReach(stages, window, _stepWindows, _optional);
    }

    /// <summary>Gets the reach times T_k of the counted attempt after <see cref="Evaluate"/> (<see cref="None"/> for a step not reached).</summary>
    public long[] Times { get; }

    /// <summary>Evaluates one lead.</summary>
    /// <param name="events">The lead's events in (time, code) order.</param>
    /// <param name="excluded">Whether exclusions dropped the lead.</param>
    /// <returns>The level of the counted attempt (0 when the lead takes no part or is dropped).</returns>
    public int Evaluate(ReadOnlySpan<LeadEvent> events, out bool excluded)
    {
        excluded = false;
        Array.Fill(Times, None);
        if (!_modes.Exclusions.IsEmpty)
        {
            IndexTargets(events);
        }

        if (_modes.Anchor == AnchorMode.Best)
        {
            var start = _modes.Order switch
            {
                StepOrder.Unordered => BestUnordered(events),
                StepOrder.Ordered when _modes.Exclusions.IsEmpty => BestOrdered(events),
                StepOrder.Ordered => BestOrderedExcluding(events, out excluded),
                _ => -2,
            };

            if (start != -2)
            {
                return start < 0 ? 0 : Counted(events, start);
            }
        }

        return EveryAttempt(events, out excluded);
    }

    /// <summary>Runs the attempt that counts, from events[start], into <see cref="Times"/>.</summary>
    private int Counted(ReadOnlySpan<LeadEvent> events, int start)
    {
        var level = Attempt(events, start);
        Array.Copy(_times, Times, _stages);
        return level;
    }

    /// <summary>
    /// The attempts one by one: First and Latest try one; Best (strict order) tries every distinct anchor time,
    /// stopping at the first attempt that reaches the last step. A strict attempt ends at the latest in the second of
    /// the next anchor (an entry into step 0 breaks the chain), so strict Best stays linear.
    /// </summary>
    private int EveryAttempt(ReadOnlySpan<LeadEvent> events, out bool excluded)
    {
        var unordered = _modes.Order == StepOrder.Unordered;
        var bestLevel = 0;
        var attempts = 0;
        var i = 0;
        var lastAnchor = -1;
        while (i < events.Length)
        {
            // The groups of one second: an anchor is the first event of its second that qualifies.
            var start = i;
            var time = events[i].Time;
            var qualifies = false;
            while (i < events.Length && events[i].Time == time)
            {
                qualifies |= !events[i].IsLoss && (unordered || events[i].Stage == 0);
                i++;
            }

            if (!qualifies)
            {
                continue;
            }

            if (_modes.Anchor == AnchorMode.Latest)
            {
                lastAnchor = start;
                continue;
            }

            attempts++;
            var level = Attempt(events, start);
            if (level > bestLevel && !Disqualified(anchor: time, level))
            {
                bestLevel = level;
                Array.Copy(_times, Times, _stages);
            }

            if (_modes.Anchor == AnchorMode.First || bestLevel == _stages)
            {
                break;
            }
        }

        if (lastAnchor >= 0)
        {
            attempts++;
            var level = Attempt(events, lastAnchor);
            if (!Disqualified(events[lastAnchor].Time, level))
            {
                bestLevel = level;
                Array.Copy(_times, Times, _stages);
            }
        }

        excluded = attempts > 0 && bestLevel == 0;
        return bestLevel;
    }

    /// <summary>
    /// Best, ordered, no exclusions, in two passes: forward, per step the latest anchor whose chain stands there and
    /// that chain's latest end give the deepest level D; backward, per step the earliest end of a chain to step D − 1
    /// and its earliest time at that step give the earliest anchor that reaches D.
    /// </summary>
    /// <returns>The index of the counted anchor's first event, or −1 without one.</returns>
    /// <remarks>
    /// Forward: of two anchors a &lt; a′ whose chains stand at step k, a′ has the later latest end (a chain from a
    /// ending later can be re-rooted at a′ where the two chains cross), so the latest anchor at a step dominates: it
    /// passes every window the others pass. Backward is the mirror image (earliest end, earliest time at the step).
    /// Both are O(events × stages).
    /// </remarks>
    private int BestOrdered(ReadOnlySpan<LeadEvent> events)
    {
        // Forward: _latest[k] the latest anchor standing at step k, _dpEnd[k] its latest end.
        Array.Fill(_latest, None);
        var deepest = 0;
        foreach (ref readonly var e in events)
        {
            if (e.IsLoss)
            {
                continue;
            }

            var k = e.Stage;
            if (k == 0)
            {
                _latest[0] = _dpEnd[0] = e.Time;
                deepest = Math.Max(deepest, 1);
                continue;
            }

            var anchor = None;
            for (var p = k - 1; p >= 0; p--)
            {
                if (_latest[p] != None && e.Time - _dpEnd[p] <= _stepWindows[k] && e.Time - _latest[p] <= _window)
                {
                    anchor = Math.Max(anchor, _latest[p]);
                }

                if (!_optional[p])
                {
                    break;
                }
            }

            if (anchor != None)
            {
                _latest[k] = anchor;
                _dpEnd[k] = e.Time;
                deepest = Math.Max(deepest, k + 1);
            }
        }

        if (deepest == 0)
        {
            return -1;
        }

        // Backward, for the target step g = D − 1: _dpFinal[s] the earliest end at g of a chain standing at step s,
        // _dpStart[s] its (earliest) time at s.
        var target = deepest - 1;
        Array.Fill(_dpFinal, long.MaxValue);
        var earliest = -1;
        for (var i = events.Length - 1; i >= 0; i--)
        {
            ref readonly var e = ref events[i];
            var k = e.Stage;
            if (e.IsLoss || k > target)
            {
                continue;
            }

            if (k == target && k > 0)
            {
                _dpFinal[k] = _dpStart[k] = e.Time;
                continue;
            }

            var final = long.MaxValue;
            for (var m = k + 1; m <= target; m++)
            {
                if (_dpFinal[m] != long.MaxValue && _dpStart[m] - e.Time <= _stepWindows[m] && _dpFinal[m] - e.Time <= _window)
                {
                    final = Math.Min(final, _dpFinal[m]);
                }

                if (!_optional[m])
                {
                    break;
                }
            }

            if (k == 0)
            {
                // Rows of one second come stage 0 first, so the last hit is the first row of the earliest anchor second.
                earliest = target == 0 || final != long.MaxValue ? i : earliest;
            }
            else if (final != long.MaxValue)
            {
                _dpFinal[k] = final;
                _dpStart[k] = e.Time;
            }
        }

        return GroupStart(events, earliest);
    }

    /// <summary>
    /// Best, ordered, with exclusions (with or without per-step windows): every anchor's reach times at once
    /// (<see cref="AnchorReach"/>: under per-step windows the earliest reach is not greedy, but it is a sliding-window
    /// minimum of the next step's; without them a suffix minimum), then per anchor the exclusions by binary search:
    /// O(n·k + anchors × x × log n).
    /// </summary>
    /// <returns>The index of the counted anchor's first event, or −1 without one.</returns>
    private int BestOrderedExcluding(ReadOnlySpan<LeadEvent> events, out bool excluded)
    {
        IndexStages(events);
        _anchorReach.Compute(_stageTimes.AsSpan(0, _stageStart[_stages]), _stageStart);
        var (best, bestLevel) = (-1, 0);
        for (var a = 0; a < _anchorReach.AnchorCount && bestLevel < _stages; a++)
        {
            var level = _anchorReach.Level(a);
            if (level <= bestLevel)
            {
                continue;
            }

            _anchorReach.CopyTimes(a, _times, None);
            if (!Disqualified(_anchorReach.AnchorTime(a), level))
            {
                (best, bestLevel) = (a, level);
            }
        }

        excluded = _anchorReach.AnchorCount > 0 && best < 0;
        if (best < 0)
        {
            return -1;
        }

        // Rows of one second come in time order: the first row at the anchor's time is its second's first row.
        var time = _anchorReach.AnchorTime(best);
        var start = 0;
        while (events[start].Time != time)
        {
            start++;
        }

        return start;
    }

    /// <summary>
    /// Best, unordered: the level of an anchor is the number of distinct stages entered in [a, a + W], which a window
    /// sliding over the lead's seconds keeps with a count per stage; the earliest anchor of the deepest level counts.
    /// </summary>
    /// <returns>The index of the counted anchor's first event, or −1 without one.</returns>
    private int BestUnordered(ReadOnlySpan<LeadEvent> events)
    {
        var best = -1;
        var bestLevel = 0;
        var distinct = 0;
        var right = 0;
        var i = 0;
        while (i < events.Length)
        {
            var start = i;
            var time = events[i].Time;
            var qualifies = false;
            for (; i < events.Length && events[i].Time == time; i++)
            {
                qualifies |= !events[i].IsLoss;
            }

            for (; right < events.Length && events[right].Time - time <= _window; right++)
            {
                if (!events[right].IsLoss && _count[events[right].Stage]++ == 0)
                {
                    distinct++;
                }
            }

            if (qualifies && distinct > bestLevel)
            {
                (best, bestLevel) = (start, distinct);
            }

            for (var j = start; j < i; j++)
            {
                if (!events[j].IsLoss && --_count[events[j].Stage] == 0)
                {
                    distinct--;
                }
            }
        }

        return best;
    }

    /// <summary>The first row of the second of events[i] (−1 for −1).</summary>
    private static int GroupStart(ReadOnlySpan<LeadEvent> events, int i)
    {
        while (i > 0 && events[i - 1].Time == events[i].Time)
        {
            i--;
        }

        return i;
    }

    /// <summary>The first time in a sorted span not before <paramref name="from"/>, or <see cref="None"/>.</summary>
    private static long FirstAtOrAfter(ReadOnlySpan<long> times, long from)
    {
        var (lo, hi) = (0, times.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] < from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < times.Length ? times[lo] : None;
    }

    /// <summary>The lead's entry times grouped by stage, ascending (a stable counting sort): stage s in _stageTimes[_stageStart[s].._stageStart[s + 1]].</summary>
    private void IndexStages(ReadOnlySpan<LeadEvent> events)
    {
        Array.Clear(_stageStart);
        foreach (ref readonly var e in events)
        {
            _stageStart[e.IsLoss ? _stages : e.Stage]++;
        }

        // Exclusive prefix sums; losses land past the last stage and are not written.
        for (int s = 0, sum = 0; s <= _stages; s++)
        {
            (_stageStart[s], sum) = (sum, sum + _stageStart[s]);
        }

        Grow(ref _stageTimes, events.Length);
        _stageStart.AsSpan(0, _stages).CopyTo(_stageNext);
        foreach (ref readonly var e in events)
        {
            if (!e.IsLoss)
            {
                _stageTimes[_stageNext[e.Stage]++] = e.Time;
            }
        }
    }

    /// <summary>Per exclusion, the times of the lead's events it targets, ascending: exclusion x in _targetTimes[_targetStart[x].._targetStart[x + 1]].</summary>
    private void IndexTargets(ReadOnlySpan<LeadEvent> events)
    {
        var exclusions = _modes.Exclusions;
        Grow(ref _targetTimes, events.Length * exclusions.Length);
        var n = 0;
        for (var x = 0; x < exclusions.Length; x++)
        {
            _targetStart[x] = n;
            foreach (ref readonly var e in events)
            {
                if (exclusions[x].Matches(in e))
                {
                    _targetTimes[n++] = e.Time;
                }
            }
        }

        _targetStart[exclusions.Length] = n;
    }

    private static void Grow(ref long[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new long[Math.Max(length, buffer.Length * 2)];
        }
    }

    /// <summary>One attempt from the anchor at events[start].Time; fills <see cref="_times"/> and returns its level.</summary>
    private int Attempt(ReadOnlySpan<LeadEvent> events, int start) =>
        _modes.Order switch
        {
            StepOrder.Unordered => AttemptUnordered(events, start),
            StepOrder.Strict => AttemptStrict(events, start),
            _ => AttemptOrdered(events, start),
        };

    private int AttemptOrdered(ReadOnlySpan<LeadEvent> events, int start)
    {
        var anchor = events[start].Time;
        Array.Fill(_times, None);
        Array.Fill(_latest, None);
        _times[0] = _latest[0] = anchor;
        var level = 1;
        for (var i = start; i < events.Length; i++)
        {
            ref readonly var e = ref events[i];
            if (e.Time - anchor > _window)
            {
                break;
            }

            var k = e.Stage;
            if (e.IsLoss || k == 0)
            {
                continue;
            }

            // Latest is best: a later end of step j can only widen what follows (later events come no earlier).
            for (var j = k - 1; j >= 0; j--)
            {
                if (_latest[j] != None && e.Time - _latest[j] <= _stepWindows[k])
                {
                    _latest[k] = e.Time;
                    if (_times[k] == None)
                    {
                        _times[k] = e.Time;
                    }

                    level = Math.Max(level, k + 1);
                    break;
                }

                if (!_optional[j])
                {
                    break;
                }
            }
        }

        return level;
    }

    private int AttemptStrict(ReadOnlySpan<LeadEvent> events, int start)
    {
        var anchor = events[start].Time;
        Array.Fill(_times, None);
        _times[0] = anchor;
        var level = 1;

        // The anchor's second: the chain takes stage 0 and any path through the stages entered in that second
        // (the second's other events are placed before it).
        var i = start;
        var end = GroupEnd(events, i);
        Mark(events, i, end, true, out _, out _);
        Closure(0, 0);
        Unmark(events, i, end);
        _reach[0] = true;
        var alive = 0;
        for (var k = 0; k < _stages; k++)
        {
            if (_reach[k])
            {
                _times[k] = anchor;
                level = k + 1;
                _alive[alive++] = k;
            }
        }

        var aliveTime = anchor;
        i = end;
        while (i < events.Length && alive > 0)
        {
            var time = events[i].Time;
            if (time - anchor > _window)
            {
                break;
            }

            end = GroupEnd(events, i);
            Mark(events, i, end, false, out var whole, out var top);
            var next = -1;
            for (var a = 0; a < alive; a++)
            {
                var from = _alive[a];
                Closure(from, time - aliveTime);
                for (var k = from + 1; k < _stages; k++)
                {
                    if (_reach[k])
                    {
                        if (_times[k] == None)
                        {
                            _times[k] = time;
                        }

                        level = Math.Max(level, k + 1);
                    }
                }

                // The chain goes on past this second only if it takes every event of it (none is left between).
                if (whole && next < 0 && TakesAll(from, time - aliveTime, top))
                {
                    next = top;
                }
            }

            Unmark(events, i, end);
            alive = 0;
            if (next >= 0)
            {
                _alive[alive++] = next;
                aliveTime = time;
            }

            i = end;
        }

        return level;
    }

    private int AttemptUnordered(ReadOnlySpan<LeadEvent> events, int start)
    {
        var anchor = events[start].Time;
        Array.Fill(_times, None);
        var level = 0;
        for (var i = start; i < events.Length && events[i].Time - anchor <= _window; i++)
        {
            ref readonly var e = ref events[i];
            if (!e.IsLoss && !_present[e.Stage])
            {
                _present[e.Stage] = true;
                _times[level++] = e.Time;
            }
        }

        for (var i = start; i < events.Length && events[i].Time - anchor <= _window; i++)
        {
            if (!events[i].IsLoss)
            {
                _present[events[i].Stage] = false;
            }
        }

        return level;
    }

    /// <summary>
    /// Whether an exclusion disqualifies the attempt from <paramref name="anchor"/> of the given level, reach times in
    /// <see cref="_times"/>: a target strictly after T_i, before T_j (or the window's end), found by binary search in the
    /// exclusion's target times (<see cref="IndexTargets"/>).
    /// </summary>
    private bool Disqualified(long anchor, int level)
    {
        var exclusions = _modes.Exclusions;
        for (var x = 0; x < exclusions.Length; x++)
        {
            var exclusion = exclusions[x];
            if (exclusion.FromStep >= level)
            {
                continue;
            }

            var targets = _targetTimes.AsSpan(_targetStart[x], _targetStart[x + 1] - _targetStart[x]);
            var first = FirstAtOrAfter(targets, _times[exclusion.FromStep] + 1);
            if (first != None && first - anchor <= _window && (exclusion.ToStep >= level || first < _times[exclusion.ToStep]))
            {
                return true;
            }
        }

        return false;
    }

    private static int GroupEnd(ReadOnlySpan<LeadEvent> events, int i)
    {
        var time = events[i].Time;
        while (i < events.Length && events[i].Time == time)
        {
            i++;
        }

        return i;
    }

    /// <summary>Marks the stages entered in events[i..end]; whole: every event is an entry into a distinct stage; top: the highest stage.</summary>
    private void Mark(ReadOnlySpan<LeadEvent> events, int i, int end, bool anchorSecond, out bool whole, out int top)
    {
        whole = !anchorSecond;
        top = -1;
        for (var j = i; j < end; j++)
        {
            ref readonly var e = ref events[j];
            if (e.IsLoss)
            {
                whole = false;
                continue;
            }

            whole &= !_present[e.Stage];
            _present[e.Stage] = true;
            top = Math.Max(top, e.Stage);
        }
    }

    private void Unmark(ReadOnlySpan<LeadEvent> events, int i, int end)
    {
        for (var j = i; j < end; j++)
        {
            if (!events[j].IsLoss)
            {
                _present[events[j].Stage] = false;
            }
        }
    }

    /// <summary>
    /// The steps a chain ending at step <paramref name="from"/> reaches through the marked stages of one second, the
    /// first hop <paramref name="gap"/> seconds after its end (within that step's window), skipping only optional steps.
    /// </summary>
    private void Closure(int from, long gap)
    {
        var openStart = true; // the start can hop to k: every step between is optional
        var openMid = false;  // a step reached in this second can hop to k
        for (var k = from + 1; k < _stages; k++)
        {
            _reach[k] = _present[k] && ((openStart && gap <= _stepWindows[k]) || openMid);
            if (_optional[k])
            {
                openMid |= _reach[k];
            }
            else
            {
                openStart = false;
                openMid = _reach[k];
            }

            if (!openStart && !openMid)
            {
                for (var r = k + 1; r < _stages; r++)
                {
                    _reach[r] = false;
                }

                break;
            }
        }
    }

    /// <summary>Whether the marked stages (the highest <paramref name="top"/>), ascending, form one valid continuation of a chain ending at <paramref name="from"/>.</summary>
    private bool TakesAll(int from, long gap, int top)
    {
        for (var k = 0; k <= from; k++)
        {
            if (_present[k])
            {
                return false;
            }
        }

        var first = true;
        for (var k = from + 1; k <= top; k++)
        {
            if (_present[k])
            {
                if (first && gap > _stepWindows[k])
                {
                    return false;
                }

                first = false;
            }
            else if (!_optional[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the optional steps are in use (for callers counting optional reach).</summary>
    public bool HasOptional => _hasOptional;
}
