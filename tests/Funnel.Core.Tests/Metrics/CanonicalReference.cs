namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// A tiny, direct implementation of the canonical event-log semantics (bulk semantics v2, spec/SEMANTICS.md), written
/// independently of the library: events are (entity, stage ordinal, whole-second time, loss-reason ordinal or -1) in
/// log order. The window funnel is an exhaustive search over matches, not a greedy walk.
/// </summary>
internal static partial class CanonicalReference
{
    /// <summary>
    /// The numbers; the transitions are (stages + 1) × (stages + 1) and the stays have stages + 1 rows, the last one for
    /// a loss event ("lost").
    /// </summary>
    public sealed record Result(
        long[] Reached,
        long[,] Transitions,
        long[,] Losses,
        long[] LossesAfterLoss,
        long[] LossesAtUnknownStage,
        long[] StayCount,
        Int128[] StayTotal,
        long[] StayMedian);

    public static Result Compute(IReadOnlyList<(string Entity, int Stage, long T, int Reason)> log, int stages, int reasons, long? window)
    {
        var reached = new long[stages];
        var transitions = new long[stages + 1, stages + 1];
        var losses = new long[stages, reasons];
        var afterLoss = new long[reasons];
        var unknown = new long[reasons];
        var stays = Enumerable.Range(0, stages + 1).Select(_ => new List<long>()).ToArray();
        var entities = log.Select((e, i) => (e, i)).GroupBy(x => x.e.Entity);
        foreach (var group in entities)
        {
            // Stable: order by time, then by log position.
            var ev = group.OrderBy(x => x.e.T).ThenBy(x => x.i).Select(x => x.e).ToList();
            var level = Level(ev, stages, window);
            for (var k = 0; k < level; k++)
            {
                reached[k]++;
            }

            int Row(int i) => ev[i].Reason >= 0 ? stages : ev[i].Stage;
            for (var i = 0; i + 1 < ev.Count; i++)
            {
                transitions[Row(i), Row(i + 1)]++;
                stays[Row(i)].Add(ev[i + 1].T - ev[i].T);
            }

            for (var i = 0; i < ev.Count; i++)
            {
                if (ev[i].Reason < 0)
                {
                    continue;
                }

                if (i == 0)
                {
                    unknown[ev[i].Reason]++;
                }
                else if (ev[i - 1].Reason >= 0)
                {
                    afterLoss[ev[i].Reason]++;
                }
                else
                {
                    losses[ev[i - 1].Stage, ev[i].Reason]++;
                }
            }
        }

        var count = stays.Select(s => (long)s.Count).ToArray();
        var total = stays.Select(s => s.Aggregate(Int128.Zero, (sum, d) => sum + d)).ToArray();
        var median = stays.Select(s => s.Count == 0 ? 0 : s.Order().ElementAt((s.Count - 1) / 2)).ToArray();
        return new Result(reached, transitions, losses, afterLoss, unknown, count, total, median);
    }

    /// <summary>
    /// The largest L with entries at stages 0..L-1, the first at the earliest entry time into stage 0 (t0), at
    /// non-decreasing times up to t0 + window, found by trying every combination (log order plays no part).
    /// </summary>
    public static int Level(IReadOnlyList<(string Entity, int Stage, long T, int Reason)> ev, int stages, long? window)
    {
        var entries = ev.Where(e => e.Reason < 0).ToList();
        var starts = entries.Where(e => e.Stage == 0).Select(e => e.T).ToList();
        if (starts.Count == 0)
        {
            return 0;
        }

        var t0 = starts.Min();
        var limit = window is { } w ? t0 + w : long.MaxValue;

        // Stages 0..k-1 can be matched at non-decreasing times, the first at t0 and the last at or before t.
        bool Matches(int k, long t) =>
            k == 0 || entries.Any(e => e.Stage == k - 1 && e.T >= t0 && e.T <= t && (k > 1 || e.T == t0) && Matches(k - 1, e.T));

        var level = 0;
        for (var l = 1; l <= stages; l++)
        {
            if (Matches(l, limit))
            {
                level = l;
            }
        }

        return level;
    }
}
