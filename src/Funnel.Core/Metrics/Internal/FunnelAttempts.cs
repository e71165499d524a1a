namespace Funnel.Core.Metrics;

/// <summary>
/// The counted attempt of one lead under <see cref="ReachMode.OrderedWindow"/> with every funnel mode of issue 22
/// (docs/metrics.md, "Funnel modes"): its level, the reach time T_k of every step (the earliest end of a valid chain
/// matching step k), and whether exclusions dropped the lead.
/// </summary>
/// <remarks>
/// <para>The lead's events are viewed once, a second at a time, sorted within each second by stage (losses last), so
/// that equal timestamps match in any order. An attempt from anchor a is one pass from a to the window's end:
/// ordered keeps, per step, the latest end of a valid chain (a later end dominates for the next step under per-step
/// windows); strict keeps the steps a chain may stand at after a second that it consumed whole (every event strictly
/// inside the chain's span belongs to it, so after the first such second one state is left); unordered counts distinct
/// stages. Optional steps widen the predecessors of a step to the steps before it up to the first required one.</para>
/// <para><see cref="AnchorMode.Best"/> keeps the deepest qualifying attempt over every distinct anchor time; ties go to the
/// earliest anchor. It is found without an attempt per anchor where that is possible (ordered: a forward and a backward
/// pass; ordered with exclusions: every anchor's reach times at once by sliding-window minima, <see cref="AnchorReach"/>;
/// unordered: a sliding window), then that one attempt runs; strict tries every anchor, but an attempt ends by
/// the next anchor's second. Buffers are reused: nothing is allocated per event. Not thread-safe: one instance per
/// accumulator.</para>
/// </remarks>
internal sealed class FunnelAttempts
{
    /// <summary>No reach time: the step is not matched.</summary>
    public const long None = long.MaxValue;

    private readonly int _n;
    private readonly StepOrder _order;
    private readonly long? _window;
    private readonly long[]? _stepWindows;
    private readonly bool[] _optional;
    private readonly Exclusion[] _exclusions;

    // The lead, sorted within each second: time and code (stage for an entry, n + reason for a loss).
    private long[] _time = new long[16];
    private int[] _code = new int[16];
    private int _count;
    private readonly List<(long Time, int Index)> _anchors = [];

    // One attempt.
    private readonly long[] _t;
    private readonly long[] _latest;
    private readonly bool[] _states;
    private readonly bool[] _inSecond;

    // Best without a walk per anchor (docs/bulk.md, "Cost of the modes"): the forward and backward passes, the
    // sliding window's counts, the lead's entry times by stage and the exclusions' target times.
    private readonly long[] _fwdAnchor;
    private readonly long[] _fwdEnd;
    private readonly long[] _bwdFinal;
    private readonly long[] _bwdStart;
    private readonly int[] _cursor;
    private readonly int[] _byStageFrom;
    private readonly int[] _targetFrom;
    private readonly AnchorReach? _anchorReach;
    private long[] _byStage = new long[16];
    private long[] _targets = new long[16];

    public FunnelAttempts(int stageCount, StepOrder order, long? window, long[]? stepWindows, bool[] optional, Exclusion[] exclusions)
    {
        _n = stageCount;
        _order = order;
        _window = window;
        _stepWindows = stepWindows;
        _optional = optional;
        _exclusions = exclusions;
        _t = new long[stageCount];
        _latest = new long[stageCount];
        _states = new bool[stageCount];
        _inSecond = new bool[stageCount];
        _fwdAnchor = new long[stageCount];
        _fwdEnd = new long[stageCount];
        _bwdFinal = new long[stageCount];
        _bwdStart = new long[stageCount];
        _cursor = new int[stageCount + 1];
        _byStageFrom = new int[stageCount + 1];
        _targetFrom = new int[exclusions.Length + 1];
        Reach = new long[stageCount];
        if (order == StepOrder.Ordered && exclusions.Length > 0)
        {
            // Indexed by step (AnchorReach's layout): step k's window is stepWindows[k − 1]; none is long.MaxValue.
            _anchorReach = new AnchorReach(stageCount, window ?? long.MaxValue, [long.MaxValue, .. stepWindows ?? Enumerable.Repeat(long.MaxValue, stageCount - 1)], optional);
        }
    }

    /// <summary>Gets the level of the counted attempt (0 when the lead takes no part or was excluded).</summary>
    public int Level { get; private set; }

    /// <summary>Gets the reach time of every step of the counted attempt (<see cref="None"/> when not matched).</summary>
    public long[] Reach { get; }

    /// <summary>Gets a value indicating whether every attempt of the lead was disqualified by an exclusion.</summary>
    public bool Excluded { get; private set; }

    /// <summary>Whether step k counts as reached by the counted attempt (R4/R6): level &gt; k, or for an optional step a chain matching it.</summary>
    public bool Reached(int k) => _optional[k] ? Reach[k] != None : k < Level;

    /// <summary>Evaluates a lead; afterwards <see cref="Level"/>, <see cref="Reach"/> and <see cref="Excluded"/> describe it.</summary>
    public void Evaluate(LeadTrack track, AnchorMode mode)
    {
        Level = 0;
        Excluded = false;
        Array.Fill(Reach, None);
        Load(track);
        if (_anchors.Count == 0)
        {
            return;
        }

        if (_exclusions.Length > 0)
        {
            CollectTargets();
        }

        if (mode == AnchorMode.Best)
        {
            var disqualifiedAll = false;
            var counted = _order switch
            {
                StepOrder.Unordered => BestBySlidingWindow(),
                StepOrder.Ordered when _exclusions.Length == 0 => BestByTwoPasses(),
                StepOrder.Ordered => BestByAnchorReach(out disqualifiedAll),
                _ => -2,
            };

            if (counted != -2)
            {
                if (counted >= 0)
                {
                    var (anchor, start) = _anchors[counted];
                    Level = _order == StepOrder.Unordered ? Unordered(anchor, start) : Ordered(anchor, start);
                    Array.Copy(_t, Reach, _n);
                }

                Excluded = disqualifiedAll;
                return;
            }
        }

        var (from, to) = mode switch
        {
            AnchorMode.First => (0, 1),
            AnchorMode.Latest => (_anchors.Count - 1, _anchors.Count),
            _ => (0, _anchors.Count),
        };

        // One attempt per anchor tried: First and Latest one; Best here only for strict order (an attempt ends by the
        // next anchor's second, where the new entry into step 0 breaks the chain).
        var best = 0;
        var disqualified = false;
        for (var i = from; i < to && best < _n; i++)
        {
            var (anchor, start) = _anchors[i];
            var level = _order switch
            {
                StepOrder.Strict => Strict(anchor, start),
                StepOrder.Unordered => Unordered(anchor, start),
                _ => Ordered(anchor, start),
            };

            if (_exclusions.Length > 0 && IsDisqualified(anchor, level))
            {
                disqualified = true;
                continue;
            }

            if (level > best)
            {
                best = level;
                Array.Copy(_t, Reach, _n);
            }
        }

        Level = best;
        Excluded = best == 0 && disqualified;
    }

    /// <summary>
    /// Best, ordered, no exclusions. Forward over the lead: per step, the latest anchor with a valid chain standing
    /// there and that chain's latest end (of two such anchors the later one also has the later end, so it passes every
    /// window the other passes): the deepest step any attempt matches. Backward (the mirror image): per step, the
    /// earliest end at that deepest step of a chain standing there and its time at the step; an entry into step 0 that
    /// can join it is an anchor reaching the deepest level, and the last one met is the earliest.
    /// </summary>
    /// <returns>The index in <see cref="_anchors"/> of the counted anchor.</returns>
    private int BestByTwoPasses()
    {
        Array.Fill(_fwdAnchor, long.MinValue);
        var last = 0;
        for (var i = 0; i < _count; i++)
        {
            var stage = _code[i];
            var time = _time[i];
            if (stage >= _n)
            {
                continue;
            }

            if (stage == 0)
            {
                _fwdAnchor[0] = _fwdEnd[0] = time;
                continue;
            }

            var anchor = long.MinValue;
            for (var p = stage - 1; p >= 0; p--)
            {
                if (_fwdAnchor[p] != long.MinValue && WithinStepWindow(stage, time - _fwdEnd[p]) && !OutOfWindow(time, _fwdAnchor[p]))
                {
                    anchor = Math.Max(anchor, _fwdAnchor[p]);
                }

                if (!_optional[p])
                {
                    break;
                }
            }

            if (anchor != long.MinValue)
            {
                (_fwdAnchor[stage], _fwdEnd[stage]) = (anchor, time);
                last = Math.Max(last, stage);
            }
        }

        if (last == 0)
        {
            return 0;
        }

        Array.Fill(_bwdFinal, None);
        var earliest = None;
        for (var i = _count - 1; i >= 0; i--)
        {
            var stage = _code[i];
            var time = _time[i];
            if (stage > last)
            {
                continue;
            }

            if (stage == last)
            {
                (_bwdFinal[stage], _bwdStart[stage]) = (time, time);
                continue;
            }

            var final = None;
            for (var next = stage + 1; next <= last; next++)
            {
                if (_bwdFinal[next] != None && WithinStepWindow(next, _bwdStart[next] - time) && !OutOfWindow(_bwdFinal[next], time))
                {
                    final = Math.Min(final, _bwdFinal[next]);
                }

                if (!_optional[next])
                {
                    break;
                }
            }

            if (final == None)
            {
                continue;
            }

            if (stage == 0)
            {
                earliest = time;
            }
            else
            {
                (_bwdFinal[stage], _bwdStart[stage]) = (final, time);
            }
        }

        var counted = 0;
        while (_anchors[counted].Time != earliest)
        {
            counted++;
        }

        return counted;
    }

    /// <summary>
    /// Best, ordered, with exclusions (with or without per-step windows): every anchor's reach times at once
    /// (<see cref="AnchorReach"/>, sliding-window minima: under per-step windows the earliest reach is not greedy),
    /// exclusions by binary search.
    /// </summary>
    /// <returns>The index in <see cref="_anchors"/> of the counted anchor, or −1 when every attempt is disqualified.</returns>
    private int BestByAnchorReach(out bool disqualifiedAll)
    {
        EntriesByStage();
        var reach = _anchorReach!;
        reach.Compute(_byStage.AsSpan(0, _byStageFrom[_n]), _byStageFrom);

        // The anchors are the seconds with an entry into step 0, as in _anchors: the same index.
        var (counted, best) = (-1, 0);
        for (var a = 0; a < reach.AnchorCount && best < _n; a++)
        {
            var level = reach.Level(a);
            if (level > best)
            {
                reach.CopyTimes(a, _t, None);
                if (!IsDisqualified(reach.AnchorTime(a), level))
                {
                    (counted, best) = (a, level);
                }
            }
        }

        disqualifiedAll = counted < 0;
        return counted;
    }

    /// <summary>
    /// Best, unordered: an anchor's level is the number of distinct stages entered in [a, a + W]; a window slides over
    /// the lead with a count per stage, and the earliest anchor of the largest count is the counted one.
    /// </summary>
    /// <returns>The index in <see cref="_anchors"/> of the counted anchor.</returns>
    private int BestBySlidingWindow()
    {
        Array.Clear(_cursor);
        var (counted, best, distinct, head, tail) = (0, 0, 0, 0, 0);
        for (var a = 0; a < _anchors.Count; a++)
        {
            var (anchor, start) = _anchors[a];
            for (; tail < start; tail++)
            {
                distinct -= _code[tail] < _n && --_cursor[_code[tail]] == 0 ? 1 : 0;
            }

            for (; head < _count && !OutOfWindow(_time[head], anchor); head++)
            {
                distinct += _code[head] < _n && _cursor[_code[head]]++ == 0 ? 1 : 0;
            }

            if (distinct > best)
            {
                (counted, best) = (a, distinct);
            }
        }

        return counted;
    }

    /// <summary>The lead's entry times by stage, ascending: stage s in _byStage[_byStageFrom[s].._byStageFrom[s + 1]].</summary>
    private void EntriesByStage()
    {
        Array.Clear(_byStageFrom);
        for (var i = 0; i < _count; i++)
        {
            if (_code[i] < _n)
            {
                _byStageFrom[_code[i] + 1]++;
            }
        }

        for (var s = 0; s < _n; s++)
        {
            _byStageFrom[s + 1] += _byStageFrom[s];
        }

        if (_byStage.Length < _count)
        {
            _byStage = new long[Math.Max(_count, _byStage.Length * 2)];
        }

        _byStageFrom.AsSpan(0, _n).CopyTo(_cursor);
        for (var i = 0; i < _count; i++)
        {
            if (_code[i] < _n)
            {
                _byStage[_cursor[_code[i]]++] = _time[i];
            }
        }
    }

    /// <summary>Per exclusion the times of the lead's events it targets, ascending: exclusion x in _targets[_targetFrom[x].._targetFrom[x + 1]].</summary>
    private void CollectTargets()
    {
        if (_targets.Length < _count * _exclusions.Length)
        {
            _targets = new long[Math.Max(_count * _exclusions.Length, _targets.Length * 2)];
        }

        var n = 0;
        for (var x = 0; x < _exclusions.Length; x++)
        {
            _targetFrom[x] = n;
            for (var i = 0; i < _count; i++)
            {
                if (_exclusions[x].Matches(_code[i], _n))
                {
                    _targets[n++] = _time[i];
                }
            }
        }

        _targetFrom[_exclusions.Length] = n;
    }

    private void Load(LeadTrack track)
    {
        var count = track.Count;
        if (_time.Length < count)
        {
            _time = new long[Math.Max(count, _time.Length * 2)];
            _code = new int[_time.Length];
        }

        _count = count;
        for (var i = 0; i < count; i++)
        {
            _time[i] = track.Seconds[i];
            _code[i] = track.IsLoss(i) ? _n + track.Reasons[i] : track.Stages[i];
        }

        _anchors.Clear();
        var maxAnchorCode = _order == StepOrder.Unordered ? _n - 1 : 0;
        var start = 0;
        while (start < count)
        {
            var end = start + 1;
            while (end < count && _time[end] == _time[start])
            {
                end++;
            }

            _code.AsSpan(start, end - start).Sort();
            if (_code[start] <= maxAnchorCode)
            {
                _anchors.Add((_time[start], start));
            }

            start = end;
        }
    }

    private bool OutOfWindow(long time, long anchor) => _window is { } w && time - anchor > w;

    private bool WithinStepWindow(int step, long elapsed) => _stepWindows is null || elapsed <= _stepWindows[step - 1];

    private int End(int start)
    {
        var end = start + 1;
        while (end < _count && _time[end] == _time[start])
        {
            end++;
        }

        return end;
    }

    /// <summary>R1 with R6: per step the latest end of a valid chain; T_k the first such end.</summary>
    private int Ordered(long anchor, int start)
    {
        Array.Fill(_t, None);
        Array.Fill(_latest, long.MinValue);
        _t[0] = _latest[0] = anchor;
        var level = 1;
        for (var i = start; i < _count; i++)
        {
            var time = _time[i];
            var stage = _code[i];
            if (OutOfWindow(time, anchor))
            {
                break;
            }

            if (stage == 0 || stage >= _n || (i > start && _code[i - 1] == stage && _time[i - 1] == time))
            {
                continue;
            }

            var previous = long.MinValue;
            for (var p = stage - 1; p >= 0; p--)
            {
                previous = Math.Max(previous, _latest[p]);
                if (!_optional[p])
                {
                    break;
                }
            }

            if (previous == long.MinValue || !WithinStepWindow(stage, time - previous))
            {
                continue;
            }

            _latest[stage] = time;
            if (_t[stage] == None)
            {
                _t[stage] = time;
            }

            level = Math.Max(level, stage + 1);
        }

        return level;
    }

    /// <summary>R3 with R6: chains whose span holds no other event (ties placed freely).</summary>
    private int Strict(long anchor, int start)
    {
        Array.Fill(_t, None);
        Array.Clear(_states);
        _t[0] = anchor;
        _states[0] = true;
        var level = 1;

        // The anchor's second: any of its entries may join the chain; the others go before it.
        var end = End(start);
        var last = -1;
        for (var i = start; i < end; i++)
        {
            var stage = _code[i];
            if (stage >= _n || stage == last || stage == 0)
            {
                continue;
            }

            last = stage;
            if (HasPredecessor(stage, _states))
            {
                _states[stage] = true;
                _t[stage] = anchor;
                level = Math.Max(level, stage + 1);
            }
        }

        var previousTime = anchor;
        for (var i = end; i < _count; i = end)
        {
            var time = _time[i];
            if (OutOfWindow(time, anchor))
            {
                break;
            }

            end = End(i);
            Array.Clear(_inSecond);
            var whole = true;
            var chainEnd = -1;
            last = -1;
            for (var e = i; e < end; e++)
            {
                var stage = _code[e];
                if (stage >= _n || stage == last || stage == 0)
                {
                    // A loss, a repeated stage or a new entry into the first stage cannot be inside the chain.
                    whole = false;
                    continue;
                }

                last = stage;
                var matched = false;
                for (var p = stage - 1; p >= 0 && !matched; p--)
                {
                    matched = _inSecond[p] || (_states[p] && WithinStepWindow(stage, time - previousTime));
                    if (!_optional[p])
                    {
                        break;
                    }
                }

                if (matched)
                {
                    _inSecond[stage] = true;
                    if (_t[stage] == None)
                    {
                        _t[stage] = time;
                    }

                    level = Math.Max(level, stage + 1);
                }

                if (whole)
                {
                    whole = chainEnd < 0 ? matched : IsPredecessor(chainEnd, stage);
                    chainEnd = stage;
                }
            }

            if (!whole || chainEnd < 0)
            {
                break;
            }

            // The chain consumed the whole second: it stands at its last stage now.
            Array.Clear(_states);
            _states[chainEnd] = true;
            previousTime = time;
        }

        return level;
    }

    /// <summary>R4: distinct stages in [a, a + W]; T_k when the (k + 1)-th distinct stage appears.</summary>
    private int Unordered(long anchor, int start)
    {
        Array.Fill(_t, None);
        Array.Clear(_states);
        var level = 0;
        for (var i = start; i < _count && level < _n; i++)
        {
            if (OutOfWindow(_time[i], anchor))
            {
                break;
            }

            var stage = _code[i];
            if (stage < _n && !_states[stage])
            {
                _states[stage] = true;
                _t[level++] = _time[i];
            }
        }

        return level;
    }

    /// <summary>Whether a step has a predecessor (the step before it, or further back over optional steps) in a set.</summary>
    private bool HasPredecessor(int stage, bool[] set)
    {
        for (var p = stage - 1; p >= 0; p--)
        {
            if (set[p])
            {
                return true;
            }

            if (!_optional[p])
            {
                break;
            }
        }

        return false;
    }

    /// <summary>Whether a chain may go from step p straight to step k (every step between them optional).</summary>
    private bool IsPredecessor(int p, int k)
    {
        if (p >= k)
        {
            return false;
        }

        for (var s = p + 1; s < k; s++)
        {
            if (!_optional[s])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// R5: an excluded event strictly between T_i and T_j (or the window's end) disqualifies the attempt in
    /// <see cref="_t"/>: the first target after T_i, by binary search in the exclusion's target times.
    /// </summary>
    private bool IsDisqualified(long anchor, int level)
    {
        for (var x = 0; x < _exclusions.Length; x++)
        {
            var exclusion = _exclusions[x];
            if (exclusion.FromStep >= level)
            {
                continue;
            }

            var (lo, hi) = (_targetFrom[x], _targetFrom[x + 1]);
            var from = _t[exclusion.FromStep];
            while (lo < hi)
            {
                var mid = lo + ((hi - lo) / 2);
                (lo, hi) = _targets[mid] <= from ? (mid + 1, hi) : (lo, mid);
            }

            if (lo == _targetFrom[x + 1] || OutOfWindow(_targets[lo], anchor))
            {
                continue;
            }

            if (exclusion.ToStep >= level || _targets[lo] < _t[exclusion.ToStep])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An exclusion resolved against the definition: a stage ordinal, or a loss (reason ordinal or −1 for any).</summary>
    internal readonly record struct Exclusion(int Stage, int Reason, int FromStep, int ToStep)
    {
        public bool IsLoss => Stage < 0;

        public bool Matches(int code, int stageCount) =>
            IsLoss ? code >= stageCount && (Reason < 0 || code - stageCount == Reason) : code == Stage;
    }
}
