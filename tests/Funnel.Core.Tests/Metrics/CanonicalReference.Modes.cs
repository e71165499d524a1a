using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// The funnel modes of issue 22 (spec R1–R7), written literally: every chain of a lead is enumerated (exhaustive search,
/// for leads of a few events), checked against the rules as stated, and the counted attempt picked from them.
/// </summary>
internal static partial class CanonicalReference
{
    public sealed record ModeQuery(StepOrder Order, AnchorMode Anchor, long? Window, long?[]? StepWindows, bool[] Optional, (int Stage, bool Loss, int Reason, int From, int To)[] Exclusions);

    /// <summary>The counted attempt of one lead: null when it takes no part, Excluded when dropped; else reached steps and reach times.</summary>
    public sealed record Attempt(bool Excluded, bool[] Reached, long?[] T);

    public static Attempt? CountedAttempt(IReadOnlyList<(int Stage, long T, int Reason)> ev, int stages, ModeQuery q)
    {
        var entries = Enumerable.Range(0, ev.Count).Where(i => ev[i].Reason < 0).ToList();
        var anchors = q.Order == StepOrder.Unordered
            ? entries.Select(i => ev[i].T).Distinct().Order().ToList()
            : entries.Where(i => ev[i].Stage == 0).Select(i => ev[i].T).Distinct().Order().ToList();
        if (anchors.Count == 0)
        {
            return null;
        }

        var candidates = q.Anchor switch
        {
            AnchorMode.First => [anchors[0]],
            AnchorMode.Latest => [anchors[^1]],
            _ => anchors,
        };

        (int Level, bool[] Reached, long?[] T)? best = null;
        var anyDisqualified = false;
        foreach (var a in candidates)
        {
            var (level, reached, t) = q.Order == StepOrder.Unordered ? UnorderedAttempt(ev, entries, stages, a, q.Window) : ChainAttempt(ev, entries, stages, a, q);
            if (Disqualified(ev, a, level, t, q))
            {
                anyDisqualified = true;
                continue;
            }

            if (best is null || level > best.Value.Level)
            {
                best = (level, reached, t);
            }
        }

        return best is { } b ? new Attempt(false, b.Reached, b.T) : anyDisqualified ? new Attempt(true, new bool[stages], new long?[stages]) : null;
    }

    private static (int Level, bool[] Reached, long?[] T) UnorderedAttempt(IReadOnlyList<(int Stage, long T, int Reason)> ev, List<int> entries, int stages, long a, long? window)
    {
        var inWindow = entries.Where(i => ev[i].T >= a && (window is null || ev[i].T <= a + window)).ToList();
        var level = inWindow.Select(i => ev[i].Stage).Distinct().Count();
        var t = new long?[stages];
        for (var k = 0; k < level; k++)
        {
            // The earliest τ ≥ a at which k + 1 distinct stages have been entered in [a, τ].
            t[k] = inWindow.Select(i => ev[i].T).Order().First(tau => inWindow.Where(i => ev[i].T <= tau).Select(i => ev[i].Stage).Distinct().Count() >= k + 1);
        }

        return (level, [.. Enumerable.Range(0, stages).Select(k => k < level)], t);
    }

    private static (int Level, bool[] Reached, long?[] T) ChainAttempt(IReadOnlyList<(int Stage, long T, int Reason)> ev, List<int> entries, int stages, long a, ModeQuery q)
    {
        var chains = new List<List<int>>();
        var chain = new List<int>();

        bool Valid(List<int> c)
        {
            // Steps: 0 first, increasing, skipping only optional steps; times non-decreasing within the windows.
            for (var x = 1; x < c.Count; x++)
            {
                var (prev, cur) = (ev[c[x - 1]], ev[c[x]]);
                if (cur.Stage <= prev.Stage || cur.T < prev.T || Enumerable.Range(prev.Stage + 1, cur.Stage - prev.Stage - 1).Any(s => !q.Optional[s]))
                {
                    return false;
                }

                if (q.StepWindows?[cur.Stage - 1] is { } w && cur.T - prev.T > w)
                {
                    return false;
                }
            }

            if (q.Window is { } window && ev[c[^1]].T > a + window)
            {
                return false;
            }

            if (q.Order == StepOrder.Strict)
            {
                // Every event strictly between t_0 and t_last belongs to the chain.
                var (t0, tl) = (ev[c[0]].T, ev[c[^1]].T);
                if (Enumerable.Range(0, ev.Count).Any(i => ev[i].T > t0 && ev[i].T < tl && !c.Contains(i)))
                {
                    return false;
                }
            }

            return true;
        }

        void Search()
        {
            chains.Add([.. chain]);
            foreach (var i in entries)
            {
                if (!chain.Contains(i) && ev[i].Stage > ev[chain[^1]].Stage)
                {
                    chain.Add(i);
                    if (Valid(chain))
                    {
                        Search();
                    }

                    chain.RemoveAt(chain.Count - 1);
                }
            }
        }

        foreach (var start in entries.Where(i => ev[i].Stage == 0 && ev[i].T == a))
        {
            chain.Add(start);
            Search();
            chain.Clear();
        }

        var level = chains.Max(c => ev[c[^1]].Stage + 1);
        var t = new long?[stages];
        for (var k = 0; k < stages; k++)
        {
            var times = chains.SelectMany(c => c.Where(i => ev[i].Stage == k)).Select(i => ev[i].T).ToList();
            t[k] = times.Count == 0 ? null : times.Min();
        }

        var reached = Enumerable.Range(0, stages).Select(k => q.Optional[k] ? t[k] is not null : k < level).ToArray();
        return (level, reached, t);
    }

    private static bool Disqualified(IReadOnlyList<(int Stage, long T, int Reason)> ev, long a, int level, long?[] t, ModeQuery q) =>
        q.Exclusions.Any(x => x.From < level && ev.Any(e =>
            (x.Loss ? e.Reason >= 0 && (x.Reason < 0 || e.Reason == x.Reason) : e.Reason < 0 && e.Stage == x.Stage)
            && e.T > t[x.From]!.Value
            && (x.To >= level || e.T < t[x.To]!.Value)
            && (q.Window is null || e.T <= a + q.Window)));

    /// <summary>R7: from the anchor and from the previous step with a reach time not after this one's.</summary>
    public static (long FromAnchor, long FromPrevious)? ConversionTime(Attempt attempt, int k)
    {
        if (attempt.Excluded || !attempt.Reached[k] || k == 0)
        {
            return null;
        }

        var tk = attempt.T[k]!.Value;
        var p = Enumerable.Range(0, k).Reverse().First(j => attempt.T[j] is { } tj && tj <= tk);
        return (tk - attempt.T[0]!.Value, tk - attempt.T[p]!.Value);
    }
}
