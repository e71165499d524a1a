namespace Funnel.Core.Metrics;

/// <summary>
/// The reach times T_k of every anchor of one lead at once, for ordered steps with per-step windows and optional
/// steps (docs/bulk.md rules 2, 7, 8 and 12): what <see cref="AnchorMode.Best"/> with exclusions needs from each
/// attempt, without a walk over the window per anchor. Shared by the bulk engine's per-lead pass and the metrics
/// report's <see cref="FunnelAttempts"/>; each checks the exclusions itself and then runs the counted attempt once.
/// </summary>
/// <remarks>
/// <para>For an entry at time t into step j and a target step k ≥ j, Reach_k(t) is the earliest time at step k of a
/// chain that matches step j at t, the global window set aside: t itself when j = k, otherwise the least
/// Reach_k(t′) over the entries t′ ∈ [t, t + w_m] into a step m that may follow j (j + 1, and past it over optional
/// steps up to the first required one, never past k), w_m the window of step m from the previous matched step. As t
/// grows both ends of [t, t + w_m] move forward, so a monotone deque gives all of step j's values in one pass over
/// the entries into j and into m (a sliding-window minimum). Every chain is non-decreasing in time, so the anchor a
/// reaches step k within the window exactly when Reach_k(a) ≤ a + W, and then T_k(a) = Reach_k(a).</para>
/// <para>Cost per lead: O(n · k · f) for n entries, k steps and f the successors a step may have (1 without optional
/// steps); the buffers are reused from lead to lead. Not thread-safe: one instance per evaluator.</para>
/// </remarks>
internal sealed class AnchorReach
{
    /// <summary>A step the anchor does not reach.</summary>
    public const long Unreached = long.MaxValue;

    private readonly int _stages;
    private readonly long _window;
    private readonly long[] _stepWindows;
    private readonly bool[] _optional;

    // Per entry (in the stage-grouped layout of the caller), Reach of the current target step; the deque of the
    // sliding minimum; per anchor its time, its first entry and its reach times (anchor a's in _times[a * stages ..]).
    private long[] _reach = [];
    private int[] _deque = [];
    private long[] _anchorTimes = [];
    private int[] _anchorEntries = [];
    private long[] _times = [];

    /// <summary>Creates the pass for one funnel.</summary>
    /// <param name="stages">The number of steps.</param>
    /// <param name="window">The global window W in seconds (<see cref="long.MaxValue"/> for none).</param>
    /// <param name="stepWindows">Per step k ≥ 1, the window from the previous matched step (<see cref="long.MaxValue"/> for none); index 0 is not read.</param>
    /// <param name="optional">Per step, whether it is optional.</param>
    public AnchorReach(int stages, long window, long[] stepWindows, bool[] optional)
    {
        _stages = stages;
        _window = window;
        _stepWindows = stepWindows;
        _optional = optional;
    }

    /// <summary>Gets the number of anchors (distinct times of entries into step 0) of the last lead computed.</summary>
    public int AnchorCount { get; private set; }

    /// <summary>Gets the time of anchor <paramref name="a"/> (anchors ascend).</summary>
    public long AnchorTime(int a) => _anchorTimes[a];

    /// <summary>Gets the level of anchor <paramref name="a"/>: 1 + the deepest step it reaches.</summary>
    public int Level(int a)
    {
        var row = _times.AsSpan(a * _stages, _stages);
        var k = _stages - 1;
        while (row[k] == Unreached)
        {
            k--;
        }

        return k + 1;
    }

    /// <summary>Copies the reach times of anchor <paramref name="a"/> into <paramref name="target"/>, <paramref name="none"/> for a step not reached.</summary>
    public void CopyTimes(int a, Span<long> target, long none)
    {
        var row = _times.AsSpan(a * _stages, _stages);
        for (var k = 0; k < _stages; k++)
        {
            target[k] = row[k] == Unreached ? none : row[k];
        }
    }

    /// <summary>Computes the reach times of every anchor of one lead.</summary>
    /// <param name="entries">The lead's entry times grouped by step, ascending within each step (no losses).</param>
    /// <param name="stageStart">Step s's entries are entries[stageStart[s]..stageStart[s + 1]].</param>
    public void Compute(ReadOnlySpan<long> entries, ReadOnlySpan<int> stageStart)
    {
        Anchors(entries, stageStart);
        Grow(ref _reach, entries.Length);
        Grow(ref _deque, entries.Length);
        for (var k = 1; k < _stages; k++)
        {
            if (stageStart[k] == stageStart[k + 1])
            {
                continue; // no entry into step k: no anchor reaches it
            }

            entries[stageStart[k]..stageStart[k + 1]].CopyTo(_reach.AsSpan(stageStart[k]));
            for (var j = k - 1; j >= 0; j--)
            {
                _reach.AsSpan(stageStart[j], stageStart[j + 1] - stageStart[j]).Fill(Unreached);
                for (var m = j + 1; m <= k; m++)
                {
                    SlidingMinimum(entries, stageStart, j, m);
                    if (!_optional[m])
                    {
                        break;
                    }
                }
            }

            for (var a = 0; a < AnchorCount; a++)
            {
                var reach = _reach[_anchorEntries[a]];
                if (reach != Unreached && reach - _anchorTimes[a] <= _window)
                {
                    _times[(a * _stages) + k] = reach;
                }
            }
        }
    }

    /// <summary>The distinct times of the entries into step 0, each with its first entry; every other reach time unset.</summary>
    private void Anchors(ReadOnlySpan<long> entries, ReadOnlySpan<int> stageStart)
    {
        var first = entries[stageStart[0]..stageStart[1]];
        Grow(ref _anchorTimes, first.Length);
        Grow(ref _anchorEntries, first.Length);
        var count = 0;
        for (var i = 0; i < first.Length; i++)
        {
            if (i == 0 || first[i] != first[i - 1])
            {
                (_anchorTimes[count], _anchorEntries[count]) = (first[i], stageStart[0] + i);
                count++;
            }
        }

        AnchorCount = count;
        Grow(ref _times, count * _stages);
        _times.AsSpan(0, count * _stages).Fill(Unreached);
        for (var a = 0; a < count; a++)
        {
            _times[a * _stages] = _anchorTimes[a];
        }
    }

    /// <summary>
    /// For each entry t into step j, lowers its Reach to the least Reach of the entries into step m in
    /// [t, t + w_m]: both ends only move forward, and the deque keeps the entries that may still be a window's
    /// minimum (times and values increasing from its head).
    /// </summary>
    private void SlidingMinimum(ReadOnlySpan<long> entries, ReadOnlySpan<int> stageStart, int j, int m)
    {
        var window = _stepWindows[m];
        var (next, end) = (stageStart[m], stageStart[m + 1]);
        var (head, tail) = (0, 0);
        for (var i = stageStart[j]; i < stageStart[j + 1]; i++)
        {
            var t = entries[i];
            for (; next < end && entries[next] - t <= window; next++)
            {
                while (tail > head && _reach[_deque[tail - 1]] >= _reach[next])
                {
                    tail--;
                }

                _deque[tail++] = next;
            }

            while (head < tail && entries[_deque[head]] < t)
            {
                head++;
            }

            if (head < tail && _reach[_deque[head]] < _reach[i])
            {
                _reach[i] = _reach[_deque[head]];
            }
        }
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
