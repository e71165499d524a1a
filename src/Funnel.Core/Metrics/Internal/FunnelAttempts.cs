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
/// <para><see cref="AnchorMode.Best"/> evaluates an attempt per distinct anchor time (earliest first, stopping at a full
/// funnel), keeping the deepest qualifying one; ties go to the earliest anchor. Buffers are reused: nothing is allocated
/// per event. Not thread-safe: one instance per accumulator.</para>
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
        Reach = new long[stageCount];
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

        var (from, to) = mode switch
        {
            AnchorMode.First => (0, 1),
            AnchorMode.Latest => (_anchors.Count - 1, _anchors.Count),
            _ => (0, _anchors.Count),
        };

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

            if (_exclusions.Length > 0 && IsDisqualified(anchor, start, level))
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

    /// <summary>R5: an excluded event strictly between T_i and T_j (or the window's end) disqualifies the attempt in <see cref="_t"/>.</summary>
    private bool IsDisqualified(long anchor, int start, int level)
    {
        for (var i = start; i < _count; i++)
        {
            var time = _time[i];
            if (OutOfWindow(time, anchor))
            {
                break;
            }

            foreach (var x in _exclusions)
            {
                if (x.FromStep >= level || !x.Matches(_code[i], _n))
                {
                    continue;
                }

                var to = x.ToStep < level ? _t[x.ToStep] : None;
                if (time > _t[x.FromStep] && time < to)
                {
                    return true;
                }
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
