using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>The outputs computed the plain way, straight from the canonical semantics.</summary>
internal sealed record ReferenceResult(
    long Events,
    long Entities,
    long[] Reached,
    long[,] Transitions,
    long[] Stays,
    long[] Totals,
    long[] Medians,
    long[,] Losses,
    long Won,
    long Lost,
    long[] OpenAt);

/// <summary>
/// An obviously correct reference implementation: group by entity, stable sort by time, walk. Slow and
/// allocation-heavy on purpose; every optimised path is checked against it.
/// </summary>
internal static class ReferenceAnalyzer
{
    public static ReferenceResult Analyze(TransitionLog log, int stageCount, int goal, int reasonCount, long window)
    {
        var rows = Enumerable.Range(0, log.Count)
            .Select(i => (Position: i, Entity: log.EntityIds[i], Stage: (int)log.Stages[i], Time: log.Timestamps[i], Reason: (int)log.LossReasons[i]))
            .ToList();

        var reached = new long[stageCount];
        var transitions = new long[stageCount, stageCount + 1];
        var losses = new long[stageCount, reasonCount];
        var durations = Enumerable.Range(0, stageCount).Select(_ => new List<long>()).ToArray();
        long won = 0, lost = 0;
        var openAt = new long[stageCount];

        var groups = rows.GroupBy(r => r.Entity).ToList();
        foreach (var group in groups)
        {
            // OrderBy is a stable sort: ties keep log order.
            var events = group.OrderBy(r => r.Time).ToList();

            for (var i = 1; i < events.Count; i++)
            {
                var a = events[i - 1];
                var b = events[i];
                transitions[a.Stage, b.Reason >= 0 ? stageCount : b.Stage]++;
                durations[a.Stage].Add(b.Time - a.Time);
            }

            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Reason >= 0)
                {
                    var stage = i == 0 ? events[i].Stage : events[i - 1].Stage;
                    losses[stage, events[i].Reason]++;
                }
            }

            // The outcome is decided by the last event: a loss, an entry at or after the goal, or an entry before it.
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

            var anchorIndex = events.FindIndex(e => e.Reason < 0 && e.Stage == 0);
            if (anchorIndex >= 0)
            {
                var t0 = events[anchorIndex].Time;
                var level = 1;
                foreach (var e in events.Skip(anchorIndex + 1))
                {
                    if (e.Reason < 0 && e.Time - t0 <= window && e.Stage == level)
                    {
                        level++;
                    }
                }

                for (var k = 0; k < stageCount; k++)
                {
                    if (level > k)
                    {
                        reached[k]++;
                    }
                }
            }
        }

        return new ReferenceResult(
            log.Count,
            groups.Count,
            reached,
            transitions,
            durations.Select(d => (long)d.Count).ToArray(),
            durations.Select(d => d.Sum()).ToArray(),
            durations.Select(d => d.Count == 0 ? 0 : d.Order().ElementAt((d.Count - 1) / 2)).ToArray(),
            losses,
            won,
            lost,
            openAt);
    }

    /// <summary>Asserts that a report equals the reference, naming the first difference.</summary>
    public static void AssertEqual(ReferenceResult expected, TransitionReport actual)
    {
        var problem = Compare(expected, actual);
        Assert.True(problem is null, problem);
    }

    /// <summary>Returns a description of the first difference, or null when equal.</summary>
    public static string? Compare(ReferenceResult expected, TransitionReport actual)
    {
        var stages = expected.Reached.Length;
        if (actual.EventCount != expected.Events)
        {
            return $"events {actual.EventCount} != {expected.Events}";
        }

        if (actual.EntityCount != expected.Entities)
        {
            return $"entities {actual.EntityCount} != {expected.Entities}";
        }

        if (actual.Won != expected.Won || actual.Lost != expected.Lost)
        {
            return $"won {actual.Won}, lost {actual.Lost} != won {expected.Won}, lost {expected.Lost}";
        }

        for (var k = 0; k < stages; k++)
        {
            if (actual.OpenAt[k] != expected.OpenAt[k])
            {
                return $"openAt[{k}] {actual.OpenAt[k]} != {expected.OpenAt[k]}";
            }

            if (actual.Reached[k] != expected.Reached[k])
            {
                return $"reached[{k}] {actual.Reached[k]} != {expected.Reached[k]}";
            }

            for (var c = 0; c <= stages; c++)
            {
                if (actual.Transitions[k, c] != expected.Transitions[k, c])
                {
                    return $"transitions[{k},{c}] {actual.Transitions[k, c]} != {expected.Transitions[k, c]}";
                }
            }

            var time = actual.TimeInStage[k];
            if (time.Stage != k || time.Count != expected.Stays[k] || time.TotalSeconds != expected.Totals[k] || time.MedianSeconds != expected.Medians[k])
            {
                return $"time in stage {k}: {time} != count {expected.Stays[k]}, total {expected.Totals[k]}, median {expected.Medians[k]}";
            }

            for (var r = 0; r < expected.Losses.GetLength(1); r++)
            {
                if (actual.Losses[k, r] != expected.Losses[k, r])
                {
                    return $"losses[{k},{r}] {actual.Losses[k, r]} != {expected.Losses[k, r]}";
                }
            }
        }

        return null;
    }
}
