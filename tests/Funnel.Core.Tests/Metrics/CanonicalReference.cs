namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// A tiny, direct implementation of the canonical event-log semantics (helper brief), written independently of the
/// library: events are (entity, stage ordinal, whole-second time, loss-reason ordinal or -1) in log order.
/// </summary>
internal static class CanonicalReference
{
    public sealed record Result(long[] Reached, long[,] Transitions, long[,] Losses, long[] StayCount, long[] StayTotal, long[] StayMedian);

    public static Result Compute(IReadOnlyList<(string Entity, int Stage, long T, int Reason)> log, int stages, int reasons, long? window)
    {
        var reached = new long[stages];
        var transitions = new long[stages, stages + 1];
        var losses = new long[stages, reasons];
        var stays = Enumerable.Range(0, stages).Select(_ => new List<long>()).ToArray();
        var entities = log.Select((e, i) => (e, i)).GroupBy(x => x.e.Entity);
        foreach (var group in entities)
        {
            // Stable: order by time, then by log position.
            var ev = group.OrderBy(x => x.e.T).ThenBy(x => x.i).Select(x => x.e).ToList();
            var anchor = ev.FindIndex(e => e.Reason < 0 && e.Stage == 0);
            if (anchor >= 0)
            {
                var t0 = ev[anchor].T;
                var level = 1;
                for (var j = anchor + 1; j < ev.Count; j++)
                {
                    var e = ev[j];
                    if (e.Reason < 0 && (window is null || e.T - t0 <= window) && e.Stage == level)
                    {
                        level++;
                    }
                }

                for (var k = 0; k < Math.Min(level, stages); k++)
                {
                    reached[k]++;
                }
            }

            for (var i = 0; i + 1 < ev.Count; i++)
            {
                var (a, b) = (ev[i], ev[i + 1]);
                transitions[a.Stage, b.Reason >= 0 ? stages : b.Stage]++;
                stays[a.Stage].Add(b.T - a.T);
            }

            for (var i = 0; i < ev.Count; i++)
            {
                if (ev[i].Reason >= 0)
                {
                    losses[i == 0 ? ev[i].Stage : ev[i - 1].Stage, ev[i].Reason]++;
                }
            }
        }

        var count = stays.Select(s => (long)s.Count).ToArray();
        var total = stays.Select(s => s.Sum()).ToArray();
        var median = stays.Select(s => s.Count == 0 ? 0 : s.Order().ElementAt((s.Count - 1) / 2)).ToArray();
        return new Result(reached, transitions, losses, count, total, median);
    }
}
