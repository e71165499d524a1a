using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests;

/// <summary>
/// Small AIDA logs whose time to convert, exclusions and unordered steps are worked out by hand (docs/metrics.md):
/// L1 enters attention 0 h, interest 1 h, desire 2 h, action 3 h; L2 attention 0 h, interest 2 h; L3 attention only.
/// Time to convert into interest: {1 h, 2 h} (lower median 1 h, interpolated 1 h 30 min, p90 2 h, automatic bins
/// [1 h, 2 h) and [2 h, 3 h)); into desire {2 h} from the anchor and {1 h} from interest; into action {3 h} and {1 h}.
/// The same holds for "2, 3, 4 steps" of the unordered funnel and with desire optional (L1 matches it).
/// </summary>
/// <remarks>
/// The reports are restored (<see cref="FunnelReport.Restore"/>) from the counts of the ordered funnel with these
/// hand-worked results, so that the renderings are tested on known numbers whatever computes them.
/// </remarks>
internal static class ModeData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static FunnelDefinition Definition => FunnelTemplates.Aida;

    public static List<FunnelEvent> Events() =>
    [
        new("L1", "attention", T0), new("L1", "interest", T0.AddHours(1)), new("L1", "desire", T0.AddHours(2)), new("L1", "action", T0.AddHours(3)),
        new("L2", "attention", T0), new("L2", "interest", T0.AddHours(2)),
        new("L3", "attention", T0),
    ];

    /// <summary>The three leads plus L4, which reaches interest and is lost to a competitor before desire: with an exclusion of that loss it is dropped.</summary>
    public static List<FunnelEvent> EventsWithACompetitorLoss() =>
    [
        .. Events(),
        new("L4", "attention", T0), new("L4", "interest", T0.AddHours(1)), new("L4", "interest", T0.AddHours(4), "competitor"),
    ];

    /// <summary>The report of <see cref="Events"/> under <paramref name="query"/>, with the hand-worked time to convert.</summary>
    public static FunnelReport Report(FunnelQuery query) => Restore(Events(), query, [3, 2, 1, 1], excluded: 0, HandTimes);

    /// <summary>The report of <see cref="EventsWithACompetitorLoss"/> under <paramref name="query"/>, which excludes L4.</summary>
    public static FunnelReport ReportWithAnExcludedLead(FunnelQuery query) => Restore(EventsWithACompetitorLoss(), query, [3, 2, 1, 1], excluded: 1, HandTimes);

    /// <summary>The report of <see cref="Events"/> without L1: nobody reaches desire or action.</summary>
    public static FunnelReport ReportWithoutL1(FunnelQuery query) =>
        Restore([.. Events().Where(e => e.EntityId != "L1")], query, [2, 1, 0, 0], excluded: 0, [([7200], [7200]), ([], []), ([], [])]);

    /// <summary>Per step 1 … 3: the seconds from the anchor and from the previous step.</summary>
    private static readonly (long[] FromAnchor, long[] FromPrevious)[] HandTimes = [([3600, 7200], [3600, 7200]), ([7200], [3600]), ([10800], [3600])];

    private static FunnelReport Restore(List<FunnelEvent> events, FunnelQuery query, long[] reached, long excluded, (long[] FromAnchor, long[] FromPrevious)[] times)
    {
        query = query.WithAsOf(T0.AddDays(1));
        var counts = FunnelReport.Compute(Definition, events, FunnelQuery.Default.WithAsOf(T0.AddDays(1)));
        var bins = query.ConversionTimeBins;
        ImmutableArray<StepConversionTime> conversionTimes =
        [
            .. times.Select((t, k) => new StepConversionTime(
                k + 1, DurationSummary.FromSeconds(t.FromAnchor), DurationSummary.FromSeconds(t.FromPrevious), bins.Histogram(t.FromAnchor), bins.Histogram(t.FromPrevious))),
        ];
        return FunnelReport.Restore(
            Definition,
            query,
            counts.AsOf,
            counts.Won,
            counts.Lost,
            counts.Open,
            counts.CycleTimeToWon,
            [.. reached],
            ConvertedToNext(query, reached),
            [.. reached],
            [.. counts.Stages.Select(s => s.Dropped)],
            [.. counts.Stages.Select(s => s.StillOpen)],
            [.. counts.Stages.Select(s => s.TimeInStage)],
            counts.TimeAfterLoss,
            counts.Transitions.Counts,
            counts.LossesByStage.Counts,
            [.. counts.LossesAfterLoss.ByReason.Select(r => r.Count)],
            [.. counts.LossesAtUnknownStage.ByReason.Select(r => r.Count)],
            counts.EverWon,
            counts.LastStatusWon,
            conversionTimes,
            excluded);
    }

    /// <summary>Per step, the leads that went on to the next required step (optional steps are skipped, docs/metrics.md): every lead that reached it, in these hand-worked logs.</summary>
    private static System.Collections.Immutable.ImmutableArray<long> ConvertedToNext(FunnelQuery query, long[] reached) =>
    [
        .. reached.Select((_, k) => Enumerable.Range(k + 1, reached.Length - k - 1).FirstOrDefault(j => !query.OptionalSteps.Contains(FunnelTemplates.Aida.Stages[j].Key.Value), -1) is var next and >= 0
            ? Math.Min(reached[k], reached[next])
            : 0L),
    ];
}
