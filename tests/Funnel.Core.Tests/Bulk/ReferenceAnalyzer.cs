using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>The outputs computed the plain way, straight from the canonical semantics (docs/bulk.md, rules 1–6).</summary>
/// <remarks>Rows 0..n−1 of <see cref="Transitions"/>, <see cref="Stays"/>, <see cref="Totals"/> and <see cref="Medians"/> are the stages; row n is "after a loss".</remarks>
internal sealed record ReferenceResult(
    long Events,
    long Entities,
    long[] Reached,
    long[,] Transitions,
    long[] Stays,
    Int128[] Totals,
    long[] Medians,
    long[,] Losses,
    long[] LossesAfterLoss,
    long[] LossesAtUnknownStage,
    long Won,
    long Lost,
    long[] OpenAt);

/// <summary>
/// An obviously correct reference implementation, written from the rules and not from the engine: group by entity,
/// stable sort by time, walk the consecutive pairs; the window funnel by exhaustive search over every match for
/// entities with at most 12 events, and by a plain walk over (time, stage) order beyond that. Slow and
/// allocation-heavy on purpose; every optimised path is checked against it.
/// </summary>
internal static class ReferenceAnalyzer
{
    /// <summary>Entities with at most this many events get their window-funnel level by exhaustive search.</summary>
    public const int ExhaustiveLimit = 12;

    // stepWindows: per-step windows in seconds (value k − 1 for step k; long.MaxValue for none), or null.
    public static ReferenceResult Analyze(TransitionLog log, int stageCount, int goal, int reasonCount, long window, long[]? stepWindows = null)
    {
        var rows = Enumerable.Range(0, log.Count)
            .Select(i => new Row(i, log.EntityIds[i], log.Stages[i], log.Timestamps[i], log.LossReasons[i]))
            .ToList();

        var n = stageCount;
        var reached = new long[n];
        var transitions = new long[n + 1, n + 1];
        var losses = new long[n, reasonCount];
        var lossesAfterLoss = new long[reasonCount];
        var lossesAtUnknownStage = new long[reasonCount];
        var durations = Enumerable.Range(0, n + 1).Select(_ => new List<long>()).ToArray();
        long won = 0, lost = 0;
        var openAt = new long[n];

        var groups = rows.GroupBy(r => r.Entity).ToList();
        foreach (var group in groups)
        {
            // Rule 1: OrderBy is a stable sort, so ties keep their position in the input.
            var events = group.OrderBy(r => r.Time).ToList();

            // Rules 3 and 4: every consecutive pair; a loss is a row of its own ("after a loss", row n).
            for (var i = 1; i < events.Count; i++)
            {
                var a = events[i - 1];
                var b = events[i];
                var row = a.IsLoss ? n : a.Stage;
                transitions[row, b.IsLoss ? n : b.Stage]++;
                durations[row].Add(b.Time - a.Time);
            }

            // Rule 5: a loss is at the stage of the previous event; after a loss it is "after a loss"; first, unknown.
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
                    losses[events[i - 1].Stage, e.Reason]++;
                }
            }

            // Rule 6: the outcome is decided by the last event.
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

            // Rule 2: the window funnel.
            var level = events.Count <= ExhaustiveLimit ? LevelBySearch(events, window, n, stepWindows) : LevelBySets(events, window, n, stepWindows);
            for (var k = 0; k < level; k++)
            {
                reached[k]++;
            }
        }

        return new ReferenceResult(
            log.Count,
            groups.Count,
            reached,
            transitions,
            durations.Select(d => (long)d.Count).ToArray(),
            durations.Select(d => d.Aggregate(Int128.Zero, (sum, x) => sum + x)).ToArray(),
            durations.Select(d => d.Count == 0 ? 0 : d.Order().ElementAt((d.Count - 1) / 2)).ToArray(),
            losses,
            lossesAfterLoss,
            lossesAtUnknownStage,
            won,
            lost,
            openAt);
    }

    /// <summary>
    /// Rule 2 by definition: the largest L such that some entries e0..e(L−1) have stages 0..L−1, e0 at the earliest
    /// stage-0 entry time t0, and t0 ≤ t1 ≤ … ≤ t(L−1) ≤ t0 + window (and t(k) − t(k−1) ≤ the window of step k when
    /// there are step windows). Tries every choice of events (exponential; only for small entities).
    /// </summary>
    public static int LevelBySearch(IReadOnlyList<Row> events, long window, int stageCount, long[]? stepWindows = null)
    {
        var entries = events.Where(e => !e.IsLoss).ToList();
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
                if (e.Stage == level && e.Time >= previousTime && e.Time - t0 <= window && (stepWindows is null || e.Time - previousTime <= stepWindows[level - 1]))
                {
                    Extend(level + 1, e.Time);
                }
            }
        }

        Extend(1, t0);
        return best;
    }

    /// <summary>
    /// Rule 2 for large entities, by sets: F(0) = {t0}; F(k) = the times of entries into stage k that some time in
    /// F(k − 1) can step to (not earlier, within the step's window, within the window of t0). The level is the number
    /// of non-empty sets. Quadratic, and obviously the definition.
    /// </summary>
    public static int LevelBySets(IReadOnlyList<Row> events, long window, int stageCount, long[]? stepWindows = null)
    {
        var entries = events.Where(e => !e.IsLoss).ToList();
        if (!entries.Any(e => e.Stage == 0))
        {
            return 0;
        }

        var t0 = entries.Where(e => e.Stage == 0).Min(e => e.Time);
        var feasible = new List<long> { t0 };
        var level = 1;
        while (level < stageCount)
        {
            var step = stepWindows?[level - 1] ?? long.MaxValue;
            var next = entries
                .Where(e => e.Stage == level && e.Time - t0 <= window && feasible.Any(f => f <= e.Time && e.Time - f <= step))
                .Select(e => e.Time)
                .Distinct()
                .ToList();
            if (next.Count == 0)
            {
                break;
            }

            feasible = next;
            level++;
        }

        return level;
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

        for (var row = 0; row <= stages; row++)
        {
            for (var c = 0; c <= stages; c++)
            {
                if (actual.Transitions[row, c] != expected.Transitions[row, c])
                {
                    return $"transitions[{row},{c}] {actual.Transitions[row, c]} != {expected.Transitions[row, c]}";
                }
            }

            var time = row < stages ? actual.TimeInStage[row] : actual.TimeAfterLoss;
            if (time.Stage != row || time.Count != expected.Stays[row] || time.TotalSeconds != expected.Totals[row] || time.MedianSeconds != expected.Medians[row])
            {
                return $"time in row {row}: {time} != count {expected.Stays[row]}, total {expected.Totals[row]}, median {expected.Medians[row]}";
            }
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

            for (var r = 0; r < expected.Losses.GetLength(1); r++)
            {
                if (actual.Losses[k, r] != expected.Losses[k, r])
                {
                    return $"losses[{k},{r}] {actual.Losses[k, r]} != {expected.Losses[k, r]}";
                }
            }
        }

        for (var r = 0; r < expected.LossesAfterLoss.Length; r++)
        {
            if (actual.LossesAfterLoss[r] != expected.LossesAfterLoss[r])
            {
                return $"lossesAfterLoss[{r}] {actual.LossesAfterLoss[r]} != {expected.LossesAfterLoss[r]}";
            }

            if (actual.LossesAtUnknownStage[r] != expected.LossesAtUnknownStage[r])
            {
                return $"lossesAtUnknownStage[{r}] {actual.LossesAtUnknownStage[r]} != {expected.LossesAtUnknownStage[r]}";
            }
        }

        return null;
    }

    /// <summary>One input row with its position in the log.</summary>
    public sealed record Row(int Position, int Entity, int Stage, long Time, int Reason)
    {
        public bool IsLoss => Reason >= 0;
    }
}
