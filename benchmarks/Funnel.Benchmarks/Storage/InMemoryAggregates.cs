using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// The "pull" side of push-down vs pull: the canonical outputs computed in process from chunks read back from a
/// store — columns, one index sort by (entity, time, log position), one walk. A stand-in for the bulk engine.
/// </summary>
internal static class InMemoryAggregates
{
    public static async Task<TransitionReport> PullAndComputeAsync(EventLogStore store, FunnelDefinition definition, long window)
    {
        var ids = new List<string>();
        var stages = new List<int>();
        var times = new List<long>();
        var reasons = new List<int>();
        await foreach (var chunk in store.ReadAsync(definition))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                ids.Add(chunk.EntityIds[i]);
                stages.Add(chunk.Stages[i]);
                times.Add(chunk.Timestamps[i]);
                reasons.Add(chunk.LossReasons[i]);
            }
        }

        return Compute(definition, ids, stages, times, reasons, window);
    }

    public static TransitionReport Compute(FunnelDefinition definition, List<string> ids, List<int> stages, List<long> times, List<int> reasons, long window)
    {
        var k = definition.Stages.Length;
        var r = definition.LossReasons.Length;
        var n = ids.Count;
        var entityOf = new int[n];
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (!map.TryGetValue(ids[i], out var e))
            {
                e = map.Count;
                map.Add(ids[i], e);
            }

            entityOf[i] = e;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            var c = entityOf[x].CompareTo(entityOf[y]);
            if (c != 0)
            {
                return c;
            }

            c = times[x].CompareTo(times[y]);
            return c != 0 ? c : x.CompareTo(y);
        });

        var reached = new long[k];
        var transitions = new long[k * (k + 1)];
        var stays = Enumerable.Range(0, k).Select(_ => new List<long>()).ToArray();
        var losses = new long[k * r];
        var start = 0;
        while (start < n)
        {
            var end = start;
            while (end < n && entityOf[order[end]] == entityOf[order[start]])
            {
                end++;
            }

            var level = 0;
            long t0 = 0;
            for (var p = start; p < end; p++)
            {
                var e = order[p];
                if (level == 0)
                {
                    if (reasons[e] < 0 && stages[e] == 0)
                    {
                        level = 1;
                        t0 = times[e];
                    }
                }
                else if (reasons[e] < 0 && level < k && stages[e] == level && times[e] - t0 <= window)
                {
                    level++;
                }

                if (p + 1 < end)
                {
                    var b = order[p + 1];
                    transitions[(stages[e] * (k + 1)) + (reasons[b] >= 0 ? k : stages[b])]++;
                    stays[stages[e]].Add(times[b] - times[e]);
                }

                if (reasons[e] >= 0)
                {
                    var stage = p == start ? stages[e] : stages[order[p - 1]];
                    losses[(stage * r) + reasons[e]]++;
                }
            }

            for (var s = 0; s < level; s++)
            {
                reached[s]++;
            }

            start = end;
        }

        var stageTimes = stays.Select((list, stage) =>
        {
            list.Sort();
            return new StageTimeStatistics(stage, list.Count, list.Sum(), list.Count == 0 ? 0 : list[(list.Count - 1) / 2]);
        }).ToArray();
        return TransitionReport.Create(k, r, window, n, map.Count, reached, transitions, stageTimes, losses);
    }
}
