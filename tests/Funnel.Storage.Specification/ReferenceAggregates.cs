using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Storage.Specification;

/// <summary>
/// The bulk semantics v2 (docs/bulk.md, issue 14) written as plainly as possible, to check the SQL push-down against:
/// group by entity, stable sort by time, walk the consecutive pairs; the window funnel by its definition (an exhaustive
/// search over every match) for entities with at most <see cref="ExhaustiveLimit"/> entries, and by the greedy walk over
/// (time, stage) order beyond that. Timestamps are whole Unix seconds, as the stores keep them. It builds its result
/// with <see cref="TransitionReport.Create"/>, as a third-party engine would, so it compares with one equality.
/// </summary>
public static class ReferenceAggregates
{
    /// <summary>Entities with at most this many entries get their window-funnel level by exhaustive search.</summary>
    public const int ExhaustiveLimit = 12;

    public static TransitionReport Compute(FunnelDefinition definition, IReadOnlyList<FunnelEvent> log, long window)
    {
        var n = definition.Stages.Length;
        var r = definition.LossReasons.Length;
        var lostRow = n;
        var reasonIndex = definition.LossReasons.Select((reason, i) => (reason.Key, i)).ToDictionary(p => p.Key, p => p.i);
        var reached = new long[n];
        var transitions = new long[(n + 1) * (n + 1)];
        var stays = Enumerable.Range(0, n + 1).Select(_ => new List<long>()).ToArray();
        var losses = new long[n * r];
        var lossesAfterLoss = new long[r];
        var lossesAtUnknownStage = new long[r];
        var goal = definition.GoalStage.Order;
        long won = 0;
        long lost = 0;
        var openAt = new long[n];

        // Rule 1: OrderBy is a stable sort, so ties keep their position in the log. Rule 7: keys compare ordinally.
        var entities = log
            .Select(e => (Entity: e.EntityId, Event: new Event(definition.GetStage(e.Stage).Order, e.At.ToUnixTimeSeconds(), e.IsLoss ? reasonIndex[e.LossReason] : -1)))
            .GroupBy(p => p.Entity, StringComparer.Ordinal)
            .Select(g => g.Select(p => p.Event).OrderBy(e => e.Time).ToList())
            .ToList();

        foreach (var events in entities)
        {
            // Rule 2: the window funnel.
            var entries = events.Where(e => !e.IsLoss).ToList();
            var level = entries.Count <= ExhaustiveLimit ? LevelBySearch(entries, window, n) : LevelByWalk(entries, window, n);
            for (var s = 0; s < level; s++)
            {
                reached[s]++;
            }

            // Rules 3 and 4: every consecutive pair, keyed by the row of its first event (a loss: the Lost row).
            for (var i = 0; i + 1 < events.Count; i++)
            {
                var a = events[i];
                var b = events[i + 1];
                var row = a.IsLoss ? lostRow : a.Stage;
                transitions[(row * (n + 1)) + (b.IsLoss ? n : b.Stage)]++;
                stays[row].Add(b.Time - a.Time);
            }

            // Rule 5: a loss is counted by the previous event; the loss row's own stage is not used.
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (!e.IsLoss)
                {
                    continue;
                }

                if (i == 0)
                {
                    lossesAtUnknownStage[e.Reason]++;
                }
                else if (events[i - 1].IsLoss)
                {
                    lossesAfterLoss[e.Reason]++;
                }
                else
                {
                    losses[(events[i - 1].Stage * r) + e.Reason]++;
                }
            }

            // Rule 6: the last event decides the outcome.
            var last = events[^1];
            if (last.IsLoss)
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

        // Rule 4: count, exact total and lower median (element (count - 1) / 2 of the sorted stays) per row.
        var times = stays.Select((list, row) =>
        {
            var sorted = list.Order().ToList();
            return new StageTimeStatistics(row, sorted.Count, sorted.Aggregate(Int128.Zero, (sum, d) => sum + d), sorted.Count == 0 ? 0 : sorted[(sorted.Count - 1) / 2]);
        }).ToArray();

        // Ticks, not FromSeconds: net8.0 has only FromSeconds(double), a second off near TimeSpan.MaxValue.
        return TransitionReport.Create(
            new FunnelShape(n, goal, r), TimeSpan.FromTicks(window * TimeSpan.TicksPerSecond), log.Count, entities.Count, reached, transitions, times.AsSpan(0, n), times[n], losses, lossesAfterLoss, lossesAtUnknownStage, won, lost, openAt);
    }

    /// <summary>
    /// Rule 2 by its definition: the largest L such that some entries e0..e(L-1) have stages 0..L-1, e0 at the earliest
    /// stage-0 entry time t0, and t0 &lt;= t1 &lt;= ... &lt;= t(L-1) &lt;= t0 + window; 0 without a stage-0 entry. Tries
    /// every choice (exponential, so only for small entities).
    /// </summary>
    private static int LevelBySearch(List<Event> entries, long window, int stageCount)
    {
        var starts = entries.Where(e => e.Stage == 0).ToList();
        if (starts.Count == 0)
        {
            return 0;
        }

        var t0 = starts.Min(e => e.Time);
        var best = 1;

        void Extend(int level, long previousTime)
        {
            best = Math.Max(best, level);
            if (level == stageCount)
            {
                return;
            }

            foreach (var e in entries)
            {
                if (e.Stage == level && e.Time >= previousTime && e.Time - t0 <= window)
                {
                    Extend(level + 1, e.Time);
                }
            }
        }

        Extend(1, t0);
        return best;
    }

    /// <summary>Rule 2 for large entities: entries in (time, stage) order, each stage taken at its first chance.</summary>
    private static int LevelByWalk(List<Event> entries, long window, int stageCount)
    {
        var level = 0;
        var t0 = 0L;
        foreach (var e in entries.OrderBy(e => e.Time).ThenBy(e => e.Stage))
        {
            if (level == 0 && e.Stage == 0)
            {
                (t0, level) = (e.Time, 1);
            }
            else if (level > 0 && level < stageCount && e.Stage == level && e.Time - t0 <= window)
            {
                level++;
            }
        }

        return level;
    }

    /// <summary>One event: stage ordinal, Unix seconds, loss reason ordinal or -1 for an entry.</summary>
    private readonly record struct Event(int Stage, long Time, int Reason)
    {
        public bool IsLoss => Reason >= 0;
    }
}
