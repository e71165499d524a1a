using System.Collections.Immutable;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// The per-lead pass of the funnel modes (docs/bulk.md rules 8–12): for one lead's events in (time, stage) order it
/// finds the counted attempt (anchor), its level and reach times T_k, and whether exclusions drop the lead.
/// One attempt costs one pass over the lead's events inside its window (times the stage count for strict order and
/// optional steps); <see cref="AnchorMode.Best"/> tries every distinct anchor time and stops at the first attempt
/// that reaches the last step. Buffers are reused from lead to lead; nothing is allocated per event.
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
            if (level > bestLevel && !Disqualified(events, start, level))
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
            if (!Disqualified(events, lastAnchor, level))
            {
                bestLevel = level;
                Array.Copy(_times, Times, _stages);
            }
        }

        excluded = attempts > 0 && bestLevel == 0;
        return bestLevel;
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

    /// <summary>Whether an exclusion disqualifies the attempt from events[start] of the given level, reach times in <see cref="_times"/>.</summary>
    private bool Disqualified(ReadOnlySpan<LeadEvent> events, int start, int level)
    {
        if (_modes.Exclusions.IsEmpty)
        {
            return false;
        }

        var anchor = events[start].Time;
        foreach (var x in _modes.Exclusions)
        {
            if (x.FromStep >= level)
            {
                continue;
            }

            var from = _times[x.FromStep];
            var to = x.ToStep < level ? _times[x.ToStep] : long.MaxValue;
            for (var i = start; i < events.Length && events[i].Time - anchor <= _window && events[i].Time < to; i++)
            {
                if (events[i].Time > from && x.Matches(in events[i]))
                {
                    return true;
                }
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
