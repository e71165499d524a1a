using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Storage.Specification;

/// <summary>
/// The canonical semantics written as plainly as possible (LINQ group by entity, stable sort by time, walk), to check
/// the SQL push-down against. Timestamps are whole Unix seconds, as the stores keep them. It builds its result with
/// <see cref="TransitionReport.Create"/>, as a third-party engine would, so it compares with one equality.
/// </summary>
public static class ReferenceAggregates
{
    public static TransitionReport Compute(FunnelDefinition definition, IReadOnlyList<FunnelEvent> log, long window)
    {
        var k = definition.Stages.Length;
        var r = definition.LossReasons.Length;
        var reasonIndex = definition.LossReasons.Select((reason, i) => (reason.Key, i)).ToDictionary(p => p.Key, p => p.i);
        var reached = new long[k];
        var transitions = new long[k * (k + 1)];
        var stays = Enumerable.Range(0, k).Select(_ => new List<long>()).ToArray();
        var losses = new long[k * r];
        var goal = definition.GoalStage.Order;
        long won = 0;
        long lost = 0;
        var openAt = new long[k];

        // OrderBy is a stable sort: ties keep their position in the log.
        var entities = log
            .Select(e => (Entity: e.EntityId, Stage: definition.GetStage(e.Stage).Order, T: e.At.ToUnixTimeSeconds(), Reason: e.IsLoss ? reasonIndex[e.LossReason] : -1))
            .GroupBy(e => e.Entity, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.T).ToList())
            .ToList();

        foreach (var events in entities)
        {
            var anchor = events.FindIndex(e => e.Reason < 0 && e.Stage == 0);
            if (anchor >= 0)
            {
                var t0 = events[anchor].T;
                var level = 1;
                for (var i = anchor + 1; i < events.Count; i++)
                {
                    var e = events[i];
                    if (e.Reason < 0 && e.T - t0 <= window && e.Stage == level)
                    {
                        level++;
                    }
                }

                for (var s = 0; s < level && s < k; s++)
                {
                    reached[s]++;
                }
            }

            for (var i = 0; i + 1 < events.Count; i++)
            {
                var a = events[i];
                var b = events[i + 1];
                transitions[(a.Stage * (k + 1)) + (b.Reason >= 0 ? k : b.Stage)]++;
                stays[a.Stage].Add(b.T - a.T);
            }

            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Reason >= 0)
                {
                    var stage = i == 0 ? events[i].Stage : events[i - 1].Stage;
                    losses[(stage * r) + events[i].Reason]++;
                }
            }

            // The outcome: the last event in the canonical order decides.
            var last = events[^1];
            if (last.Reason >= 0)
            {
                lost++;
            }
            else if (last.Stage >= goal)
            {
                won++;
            }
            else
            {
                openAt[last.Stage]++;
            }
        }

        var times = stays.Select((list, stage) =>
        {
            var sorted = list.Order().ToList();
            return new StageTimeStatistics(stage, sorted.Count, sorted.Sum(), sorted.Count == 0 ? 0 : sorted[(sorted.Count - 1) / 2]);
        }).ToArray();

        return TransitionReport.Create(k, goal, r, window, log.Count, entities.Count, reached, transitions, times, losses, won, lost, openAt);
    }
}
