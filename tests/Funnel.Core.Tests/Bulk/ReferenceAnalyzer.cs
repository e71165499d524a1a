using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

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

    /// <summary>
    /// The funnel modes of issue 22 (docs/bulk.md rules 8–12, /work spec "R1–R7") for one lead, literally: every
    /// attempt (anchor), every chain from it by exhaustive search (strict: every event strictly inside the chain's
    /// time span is in the chain), level = the deepest last matched step + 1, T_k = the earliest t_k over the chains
    /// matching k; exclusions disqualify the counted attempt; Best takes the deepest attempt not disqualified, ties
    /// to the earliest. Exponential: leads of at most <see cref="ExhaustiveLimit"/> events only.
    /// </summary>
    public static LeadOutcome EvaluateLead(IReadOnlyList<Row> events, int stageCount, long window, ModeOptions options)
    {
        if (events.Count > ExhaustiveLimit)
        {
            throw new ArgumentException($"The exhaustive model takes leads of at most {ExhaustiveLimit} events.", nameof(events));
        }

        var unordered = options.Order == StepOrder.Unordered;
        var anchors = events.Where(e => !e.IsLoss && (unordered || e.Stage == 0)).Select(e => e.Time).Distinct().Order().ToList();
        var none = new LeadOutcome(0, false, new long?[stageCount]);
        if (anchors.Count == 0)
        {
            return none;
        }

        var tried = options.Anchor switch
        {
            AnchorMode.First => [anchors[0]],
            AnchorMode.Latest => [anchors[^1]],
            _ => anchors,
        };

        LeadOutcome? best = null;
        foreach (var a in tried)
        {
            var (level, times) = unordered ? UnorderedAttempt(events, stageCount, window, a) : ChainAttempt(events, stageCount, window, a, options);
            if (Disqualified(events, window, a, level, times, options))
            {
                continue;
            }

            if (best is null || level > best.Level)
            {
                best = new LeadOutcome(level, false, times);
            }
        }

        return best ?? none with { Excluded = true };
    }

    private static (int Level, long?[] Times) ChainAttempt(IReadOnlyList<Row> events, int n, long window, long a, ModeOptions o)
    {
        var times = new long?[n];
        var level = 0;
        var start = events.First(e => !e.IsLoss && e.Stage == 0 && e.Time == a);
        var chain = new List<(Row Event, int Step)> { (start, 0) };

        bool Strict() =>
            o.Order != StepOrder.Strict
            || events.Where(e => e.Time > a && e.Time < chain[^1].Event.Time).All(e => chain.Any(c => ReferenceEquals(c.Event, e)));

        void Search()
        {
            if (!Strict())
            {
                return; // extending a chain only widens its span
            }

            foreach (var (e, k) in chain)
            {
                times[k] = times[k] is { } t ? Math.Min(t, e.Time) : e.Time;
            }

            level = Math.Max(level, chain[^1].Step + 1);
            var (last, lastStep) = chain[^1];
            foreach (var e in events)
            {
                var s = e.Stage;
                if (e.IsLoss || s <= lastStep || chain.Any(c => ReferenceEquals(c.Event, e))
                    || Enumerable.Range(lastStep + 1, s - lastStep - 1).Any(skipped => !o.Optional.Contains(skipped))
                    || e.Time < last.Time || e.Time - a > window || (o.StepWindows is not null && e.Time - last.Time > o.StepWindows[s - 1]))
                {
                    continue;
                }

                chain.Add((e, s));
                Search();
                chain.RemoveAt(chain.Count - 1);
            }
        }

        Search();
        return (level, times);
    }

    private static (int Level, long?[] Times) UnorderedAttempt(IReadOnlyList<Row> events, int n, long window, long a)
    {
        var inWindow = events.Where(e => !e.IsLoss && e.Time >= a && e.Time - a <= window).ToList();
        var level = inWindow.Select(e => e.Stage).Distinct().Count();
        var times = new long?[n];
        for (var k = 0; k < level; k++)
        {
            times[k] = inWindow.Select(e => e.Time).Order().First(tau => inWindow.Where(e => e.Time <= tau).Select(e => e.Stage).Distinct().Count() >= k + 1);
        }

        return (level, times);
    }

    private static bool Disqualified(IReadOnlyList<Row> events, long window, long a, int level, long?[] times, ModeOptions o) =>
        o.Exclusions.Any(x =>
            x.FromStep < level
            && events.Any(e =>
                (x.Stage >= 0 ? !e.IsLoss && e.Stage == x.Stage : e.IsLoss && (x.Reason < 0 || e.Reason == x.Reason))
                && e.Time > times[x.FromStep]!.Value
                && (x.ToStep >= level || e.Time < times[x.ToStep]!.Value)
                && e.Time - a <= window));

    /// <summary>The modes' outputs over a log: reached per step, leads dropped, and time to convert per step (sorted).</summary>
    public static ModeResult AnalyzeModes(TransitionLog log, int stageCount, long window, ModeOptions options)
    {
        var reached = new long[stageCount];
        long excluded = 0;
        var fromAnchor = Enumerable.Range(0, stageCount).Select(_ => new List<long>()).ToArray();
        var fromPrevious = Enumerable.Range(0, stageCount).Select(_ => new List<long>()).ToArray();
        var rows = Enumerable.Range(0, log.Count).Select(i => new Row(i, log.EntityIds[i], log.Stages[i], log.Timestamps[i], log.LossReasons[i]));
        foreach (var lead in rows.GroupBy(r => r.Entity))
        {
            var outcome = EvaluateLead([.. lead.OrderBy(r => r.Time)], stageCount, window, options);
            excluded += outcome.Excluded ? 1 : 0;
            for (var s = 0; s < stageCount; s++)
            {
                reached[s] += (options.Optional.Contains(s) ? outcome.Times[s] is not null : outcome.Level > s) ? 1 : 0;
            }

            // R7: p is the latest previous step the lead has a reach time for, not after T_k (an optional step that only
            // a later chain matched is passed over; the spec's "previous step with a T", made non-negative, as FunnelReport does).
            for (var k = 1; k < outcome.Level; k++)
            {
                if (outcome.Times[k] is { } t)
                {
                    var p = Enumerable.Range(0, k).Last(j => outcome.Times[j] is { } tj && tj <= t);
                    fromAnchor[k].Add(t - outcome.Times[0]!.Value);
                    fromPrevious[k].Add(t - outcome.Times[p]!.Value);
                }
            }
        }

        return new ModeResult(reached, excluded, [.. fromAnchor.Select(l => l.Order().ToArray())], [.. fromPrevious.Select(l => l.Order().ToArray())]);
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

    /// <summary>The modes of one analysis: exclusions by ordinals (stage −1: a loss of reason Reason, −1 any), optional steps, per-step windows (value k − 1 for step k).</summary>
    public sealed record ModeOptions(AnchorMode Anchor, StepOrder Order, (int Stage, int Reason, int FromStep, int ToStep)[] Exclusions, int[] Optional, long[]? StepWindows);

    /// <summary>One lead's counted attempt: its level, whether exclusions dropped it, its reach times.</summary>
    public sealed record LeadOutcome(int Level, bool Excluded, long?[] Times);

    /// <summary>The modes' outputs of the model.</summary>
    public sealed record ModeResult(long[] Reached, long Excluded, long[][] FromAnchor, long[][] FromPrevious);

    /// <summary>One input row with its position in the log.</summary>
    public sealed record Row(int Position, int Entity, int Stage, long Time, int Reason)
    {
        public bool IsLoss => Reason >= 0;
    }
}
