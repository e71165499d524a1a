using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The naive way, as a developer would first write it with LINQ: materialise rows, group by entity, order each
/// group by time, walk it, collect every duration and sort to take the medians. The baseline of the benchmarks.
/// </summary>
public static class NaiveLinqAnalyzer
{
    /// <summary>Computes the four outputs and the outcomes; returns a checksum so that nothing is optimised away.</summary>
    public static long Analyze(TransitionLog log, int stageCount, int goal, int reasonCount, long window)
    {
        var entities = log.EntityIds.ToArray();
        var stagesColumn = log.Stages.ToArray();
        var times = log.Timestamps.ToArray();
        var reasonsColumn = log.LossReasons.ToArray();
        var rows = Enumerable.Range(0, log.Count)
            .Select(i => (Entity: entities[i], Stage: (int)stagesColumn[i], Time: times[i], Reason: (int)reasonsColumn[i]));

        var reached = new long[stageCount];
        var transitions = new long[stageCount + 1, stageCount + 1]; // row and column stageCount: a loss
        var losses = new long[stageCount + 2, reasonCount];          // rows: the previous entry's stage, after a loss, unknown (first event)
        var durations = Enumerable.Range(0, stageCount + 1).Select(_ => new List<long>()).ToArray();
        var outcomes = new long[stageCount + 1]; // by the last event: an entry into stage s, or [stageCount] a loss

        foreach (var group in rows.GroupBy(r => r.Entity))
        {
            var events = group.OrderBy(r => r.Time).ToList();
            for (var i = 0; i < events.Count; i++)
            {
                var b = events[i];
                if (i > 0)
                {
                    var a = events[i - 1];
                    var row = a.Reason >= 0 ? stageCount : a.Stage;
                    transitions[row, b.Reason >= 0 ? stageCount : b.Stage]++;
                    durations[row].Add(b.Time - a.Time);
                }

                if (b.Reason >= 0)
                {
                    losses[i == 0 ? stageCount + 1 : events[i - 1].Reason >= 0 ? stageCount : events[i - 1].Stage, b.Reason]++;
                }
            }

            outcomes[events[^1].Reason >= 0 ? stageCount : events[^1].Stage]++;

            // Equal timestamps match in any order: walk the entries by (time, stage) from the first entry into stage 0.
            var entries = events.Where(e => e.Reason < 0).OrderBy(e => e.Time).ThenBy(e => e.Stage).ToList();
            var anchor = entries.FindIndex(e => e.Stage == 0);
            if (anchor >= 0)
            {
                var t0 = entries[anchor].Time;
                var level = 1;
                foreach (var e in entries.Skip(anchor + 1))
                {
                    if (e.Time - t0 <= window && e.Stage == level)
                    {
                        level++;
                    }
                }

                for (var k = 0; k < level && k < stageCount; k++)
                {
                    reached[k]++;
                }
            }
        }

        var medians = durations.Select(d => d.Count == 0 ? 0 : d.Order().ElementAt((d.Count - 1) / 2)).ToArray();
        var won = outcomes.Skip(goal).Take(stageCount - goal).Sum();
        return won + outcomes[stageCount] + reached.Sum() + transitions.Cast<long>().Sum() + losses.Cast<long>().Sum() + medians.Sum() + durations.Sum(d => d.Sum());
    }
}
