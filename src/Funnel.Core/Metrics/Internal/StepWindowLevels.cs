namespace Funnel.Core.Metrics;

/// <summary>
/// The ordered-window level of a lead under per-step windows (docs/bulk.md, rule 7): the largest L such that the lead
/// has entries e_0..e_{L-1} with e_i at stage i, e_0 at the anchor time a, a ≤ t_1 ≤ … ≤ t_{L-1} ≤ a + W, and
/// t_k − t_{k−1} ≤ W_k for every step k. Entries that share a timestamp match in any order.
/// </summary>
/// <remarks>
/// Per anchor, one pass over the lead's entries in (time, stage) order keeps, per stage, the latest time at which a
/// valid match of the stages before it ends: the latest end is the best start for the next step. <see cref="AnchorMode.Best"/>
/// takes the best over every distinct entry time into the first stage (a pass per anchor: per-step windows make the
/// pairs of anchor and end time incomparable, so one pass cannot keep a single best per stage).
/// </remarks>
internal static class StepWindowLevels
{
    public static int Level(LeadTrack track, AnchorMode mode, long? window, long[] stepWindows)
    {
        var entries = new List<(long Time, int Stage)>(track.Count);
        for (var i = 0; i < track.Count; i++)
        {
            if (!track.IsLoss(i))
            {
                entries.Add((track.Seconds[i], track.Stages[i]));
            }
        }

        entries.Sort();
        var anchors = entries.Where(e => e.Stage == 0).Select(e => e.Time).Distinct().ToList();
        if (anchors.Count == 0)
        {
            return 0;
        }

        var candidates = mode switch
        {
            AnchorMode.First => [anchors[0]],
            AnchorMode.Latest => [anchors[^1]],
            _ => anchors,
        };

        var best = 0;
        var latest = new List<long>();
        foreach (var anchor in candidates)
        {
            best = Math.Max(best, LevelFrom(entries, anchor, window, stepWindows, latest));
        }

        return best;
    }

    private static int LevelFrom(List<(long Time, int Stage)> entries, long anchor, long? window, long[] stepWindows, List<long> latest)
    {
        latest.Clear();
        latest.Add(anchor);
        foreach (var (time, stage) in entries)
        {
            if (time >= anchor && !(window is { } w && time - anchor > w))
            {
                Bulk.ExactLevels.Extend(latest, time, stage, stepWindows);
            }
        }

        return latest.Count;
    }
}
