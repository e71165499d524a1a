using System.Collections.Immutable;

using Funnel.Core.Metrics;

namespace Funnel.Core.Bulk;

/// <summary>
/// A partial aggregate of the bulk outputs over a set of entities: window-funnel levels, transition and loss
/// counts, stay counts and totals, the entities counted by their last event (the outcomes), and the multiset of stay durations per stage (kept so that the merged median
/// stays exact). Aggregates of disjoint sets of entities merge with <see cref="Merge"/>; merge is associative and
/// commutative, so the result does not depend on how the log was split by entity.
/// </summary>
/// <remarks>
/// <para>Merging aggregates that share an entity is not meaningful (the entity's consecutive events would be cut
/// apart); split a log by entity, not by time, or stream it through one <see cref="TransitionAccumulator"/>.</para>
/// <para>Instances are immutable and thread-safe. Merge shares the duration segments and copies only the small
/// count arrays.</para>
/// </remarks>
public sealed class TransitionAggregate
{
    private readonly ImmutableArray<long> _reached;
    private readonly ImmutableArray<long> _transitions;
    private readonly ImmutableArray<long> _losses;
    private readonly ImmutableArray<long> _lossesAfterLoss;
    private readonly ImmutableArray<long> _lossesAtUnknownStage;
    private readonly ImmutableArray<long> _stays; // per row: the stages, then "after a loss"
    private readonly ImmutableArray<Int128> _totals;
    private readonly ImmutableArray<long> _lastEvents; // entities by last event: [s] an entry into stage s, [stages] a loss
    private readonly ImmutableArray<DurationSet> _durations;

    private TransitionAggregate(
        int stageCount,
        int goalStage,
        int lossReasonCount,
        long windowSeconds,
        long eventCount,
        long entityCount,
        ImmutableArray<long> reached,
        ImmutableArray<long> transitions,
        ImmutableArray<long> losses,
        ImmutableArray<long> lossesAfterLoss,
        ImmutableArray<long> lossesAtUnknownStage,
        ImmutableArray<long> stays,
        ImmutableArray<Int128> totals,
        ImmutableArray<long> lastEvents,
        ImmutableArray<DurationSet> durations,
        ImmutableArray<long> stepWindowSeconds)
    {
        StepWindowSeconds = stepWindowSeconds;
        StageCount = stageCount;
        GoalStage = goalStage;
        LossReasonCount = lossReasonCount;
        WindowSeconds = windowSeconds;
        EventCount = eventCount;
        EntityCount = entityCount;
        _reached = reached;
        _transitions = transitions;
        _losses = losses;
        _lossesAfterLoss = lossesAfterLoss;
        _lossesAtUnknownStage = lossesAtUnknownStage;
        _stays = stays;
        _totals = totals;
        _lastEvents = lastEvents;
        _durations = durations;
    }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount { get; }

    /// <summary>Gets the ordinal of the goal stage (entities whose last event enters it or a later stage are won).</summary>
    public int GoalStage { get; }

    /// <summary>Gets the number of loss reasons.</summary>
    public int LossReasonCount { get; }

    /// <summary>Gets the window of the ordered window funnel, in seconds (inclusive).</summary>
    public long WindowSeconds { get; }

    /// <summary>Gets the per-step windows of the window funnel in seconds (<see cref="long.MaxValue"/> for a step without one); empty when there are none (<see cref="TransitionAnalyzer.StepWindows"/>).</summary>
    public ImmutableArray<long> StepWindowSeconds { get; }

    /// <summary>Gets the funnel modes' counts (exclusions, optional steps, time to convert) and the modes themselves.</summary>
    internal ModeTotals ModeTotals { get; private init; } = null!;

    /// <summary>Gets the number of events aggregated.</summary>
    public long EventCount { get; }

    /// <summary>Gets the number of distinct entities aggregated.</summary>
    public long EntityCount { get; }

    /// <summary>Returns the aggregate of no events.</summary>
    /// <param name="shape">The stages, goal stage and loss reasons.</param>
    /// <param name="window">The window funnel's window (inclusive; whole seconds, a fraction is dropped); not negative.</param>
    /// <returns>The empty aggregate, the identity of <see cref="Merge"/> for aggregates without per-step windows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative.</exception>
    public static TransitionAggregate Empty(FunnelShape shape, TimeSpan window)
    {
        Guard.Against.Null(shape);
        var windowSeconds = TransitionAnalyzer.ToWindowSeconds(window);
        return FromBuilder(new AggregateBuilder(shape.StageCount, shape.LossReasonCount), shape.StageCount, shape.GoalStage, shape.LossReasonCount, windowSeconds, [], FunnelModes.Default);
    }

    /// <summary>Merges this aggregate with the aggregate of a disjoint set of entities.</summary>
    /// <param name="other">The other aggregate, with the same stage count, goal, loss-reason count and window.</param>
    /// <returns>The aggregate of both sets of entities.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shapes, goals or windows differ.</exception>
    public TransitionAggregate Merge(TransitionAggregate other)
    {
        Guard.Against.Null(other);
        if (other.StageCount != StageCount || other.GoalStage != GoalStage || other.LossReasonCount != LossReasonCount || other.WindowSeconds != WindowSeconds
            || !other.StepWindowSeconds.AsSpan().SequenceEqual(StepWindowSeconds.AsSpan()))
        {
            throw new ArgumentException(
                $"Cannot merge an aggregate of {other.StageCount} stages (goal {other.GoalStage}), {other.LossReasonCount} loss reasons and window {other.WindowSeconds} s into one of {StageCount} stages (goal {GoalStage}), {LossReasonCount} loss reasons and window {WindowSeconds} s (or their per-step windows differ).",
                nameof(other));
        }

        if (!other.ModeTotals.Modes.Equals(ModeTotals.Modes))
        {
            throw new ArgumentException($"Cannot merge an aggregate computed with the modes ({other.ModeTotals.Modes}) into one computed with ({ModeTotals.Modes}).", nameof(other));
        }

        var durations = ImmutableArray.CreateBuilder<DurationSet>(StageCount + 1);
        for (var s = 0; s <= StageCount; s++)
        {
            durations.Add(_durations[s].Union(other._durations[s]));
        }

        return new TransitionAggregate(
            StageCount,
            GoalStage,
            LossReasonCount,
            WindowSeconds,
            checked(EventCount + other.EventCount),
            checked(EntityCount + other.EntityCount),
            Sum(_reached, other._reached),
            Sum(_transitions, other._transitions),
            Sum(_losses, other._losses),
            Sum(_lossesAfterLoss, other._lossesAfterLoss),
            Sum(_lossesAtUnknownStage, other._lossesAtUnknownStage),
            Sum(_stays, other._stays),
            Sum(_totals, other._totals),
            Sum(_lastEvents, other._lastEvents),
            durations.MoveToImmutable(),
            StepWindowSeconds)
        {
            ModeTotals = ModeTotals.Merge(other.ModeTotals),
        };
    }

    /// <summary>Computes the final report, including the exact medians.</summary>
    /// <param name="maxDegreeOfParallelism">How many stages' medians (and time-to-convert summaries) to compute at once; -1 (default) for every core.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    public TransitionReport ToReport(int maxDegreeOfParallelism = -1)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for every core or a positive number.");
        }

        // One median per row: the stages, then "after a loss".
        var rows = StageCount + 1;
        var medians = new (long Lower, long Upper)[rows];
        For(rows, maxDegreeOfParallelism, s => medians[s] = _durations[s].Medians());

        var times = ImmutableArray.CreateBuilder<StageTimeStatistics>(StageCount);
        for (var s = 0; s < StageCount; s++)
        {
            times.Add(new StageTimeStatistics(s, _stays[s], _totals[s], medians[s].Lower, medians[s].Upper));
        }

        // Outcomes from the last events: an entry into the goal or a later stage is won, an earlier one open there.
        long won = 0;
        var openAt = new long[StageCount];
        for (var s = 0; s < StageCount; s++)
        {
            if (s >= GoalStage)
            {
                won += _lastEvents[s];
            }
            else
            {
                openAt[s] = _lastEvents[s];
            }
        }

        return new TransitionReport(
            StageCount,
            GoalStage,
            LossReasonCount,
            WindowSeconds,
            EventCount,
            EntityCount,
            ReportedReach(),
            new CountMatrix(rows, rows, _transitions),
            times.MoveToImmutable(),
            new StageTimeStatistics(StageCount, _stays[StageCount], _totals[StageCount], medians[StageCount].Lower, medians[StageCount].Upper),
            new CountMatrix(StageCount, LossReasonCount, _losses),
            _lossesAfterLoss,
            _lossesAtUnknownStage,
            won,
            _lastEvents[StageCount],
            [.. openAt])
        {
            StepWindowSeconds = StepWindowSeconds,
            Anchor = ModeTotals.Modes.Anchor,
            Order = ModeTotals.Modes.Order,
            OptionalSteps = ModeTotals.Modes.OptionalSteps,
            Median = ModeTotals.Modes.Median,
            Excluded = ModeTotals.Excluded,
            ConversionTimes = ConversionTimes(maxDegreeOfParallelism),
        };
    }

    /// <summary>Time to convert per step 1..n−1, when collected.</summary>
    private ImmutableArray<StepConversionTime> ConversionTimes(int maxDegreeOfParallelism)
    {
        if (!ModeTotals.Modes.ConversionTimes)
        {
            return [];
        }

        // Each sample array is sorted once, in place (the summary's order statistics and the histogram both read the
        // sorted array), and the 2 · (n − 1) arrays are sorted on every core: at 10M events they hold millions of samples.
        var bins = ModeTotals.Modes.Bins;
        var summaries = new (DurationSummary Summary, DurationHistogram Histogram)[2 * (StageCount - 1)];
        For(summaries.Length, maxDegreeOfParallelism, i =>
        {
            var samples = ModeTotals.Samples(1 + (i / 2), fromAnchor: i % 2 == 0);
            var summary = DurationSummary.FromOwnedArray(samples);
            summaries[i] = (summary, bins.HistogramOfSorted(samples));
        });

        var steps = ImmutableArray.CreateBuilder<StepConversionTime>(StageCount - 1);
        for (var k = 1; k < StageCount; k++)
        {
            var (fromAnchor, fromPrevious) = (summaries[2 * (k - 1)], summaries[(2 * (k - 1)) + 1]);
            steps.Add(new StepConversionTime(k, fromAnchor.Summary, fromPrevious.Summary, fromAnchor.Histogram, fromPrevious.Histogram));
        }

        return steps.MoveToImmutable();
    }

    /// <summary>Runs <paramref name="body"/> for 0 … <paramref name="count"/> − 1, on up to <paramref name="maxDegreeOfParallelism"/> cores (-1: every core; 1: in order on this thread).</summary>
    private static void For(int count, int maxDegreeOfParallelism, Action<int> body)
    {
        if (maxDegreeOfParallelism == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, body);
        }
    }

    /// <summary>Reached by level, except optional steps: the leads whose counted attempt matched them.</summary>
    private ImmutableArray<long> ReportedReach()
    {
        if (ModeTotals.Modes.OptionalSteps.IsEmpty)
        {
            return _reached;
        }

        var reached = _reached.ToArray();
        foreach (var s in ModeTotals.Modes.OptionalSteps)
        {
            reached[s] = ModeTotals.OptionalReached[s];
        }

        return [.. reached];
    }

    internal static TransitionAggregate FromBuilder(AggregateBuilder builder, int stageCount, int goalStage, int lossReasonCount, long windowSeconds, ImmutableArray<long> stepWindowSeconds, FunnelModes modes) =>
        new(
            stageCount,
            goalStage,
            lossReasonCount,
            windowSeconds,
            builder.Events,
            builder.Entities,
            [.. builder.Reached],
            [.. builder.Transitions],
            [.. builder.Losses],
            [.. builder.LossesAfterLoss],
            [.. builder.LossesAtUnknownStage],
            [.. builder.Stays],
            [.. builder.Totals],
            [.. builder.LastEvents],
            builder.BuildDurations(),
            stepWindowSeconds)
        {
            ModeTotals = ModeTotals.From(builder, modes),
        };

    private static ImmutableArray<T> Sum<T>(ImmutableArray<T> a, ImmutableArray<T> b)
        where T : System.Numerics.IBinaryInteger<T>
    {
        var result = new T[a.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = checked(a[i] + b[i]);
        }

        return [.. result];
    }
}
