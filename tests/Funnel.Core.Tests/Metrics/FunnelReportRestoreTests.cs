using System.Collections.Immutable;
using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary><see cref="FunnelReport.Restore"/> rebuilds a report from its independent numbers and rejects inconsistent ones.</summary>
public sealed class FunnelReportRestoreTests
{
    private static readonly FunnelEvent[] Log = FunnelReportTests.Log;

    /// <summary>The independent numbers of a report, as a serializer would store them.</summary>
    internal sealed record Numbers(
        FunnelDefinition Definition,
        FunnelQuery Query,
        DateTimeOffset? AsOf,
        long Won,
        long Lost,
        long Open,
        DurationSummary CycleTimeToWon,
        ImmutableArray<long> Reached,
        ImmutableArray<long> ConvertedToNext,
        ImmutableArray<long> ReachedFromTop,
        ImmutableArray<long> Dropped,
        ImmutableArray<long> StillOpen,
        ImmutableArray<DurationSummary> TimeInStage,
        DurationSummary TimeAfterLoss,
        ImmutableArray<long> Transitions,
        ImmutableArray<long> LossesByStage,
        ImmutableArray<long> LossesAfterLoss,
        ImmutableArray<long> LossesAtUnknownStage,
        long? EverWon)
    {
        public static Numbers Of(FunnelReport report) => new(
            report.Definition,
            report.Query,
            report.AsOf,
            report.Won,
            report.Lost,
            report.Open,
            report.CycleTimeToWon,
            report.Reached,
            [.. report.Stages.Select(s => s.ConvertedToNext)],
            report.Query.Counting == CountMode.Totals ? [] : [.. report.Stages.Select(s => s.ConversionFromTop!.Value.Successes)],
            [.. report.Stages.Select(s => s.Dropped)],
            [.. report.Stages.Select(s => s.StillOpen)],
            [.. report.Stages.Select(s => s.TimeInStage)],
            report.TimeAfterLoss,
            report.Transitions.Counts,
            report.LossesByStage.Counts,
            [.. report.LossesAfterLoss.ByReason.Select(r => r.Count)],
            [.. report.LossesAtUnknownStage.ByReason.Select(r => r.Count)],
            report.EverWon);

        public FunnelReport Restore() => FunnelReport.Restore(
            Definition, Query, AsOf, Won, Lost, Open, CycleTimeToWon, Reached, ConvertedToNext, ReachedFromTop, Dropped, StillOpen, TimeInStage, TimeAfterLoss,
            Transitions, LossesByStage, LossesAfterLoss, LossesAtUnknownStage, EverWon);
    }

    internal static void AssertSameNumbers(FunnelReport expected, FunnelReport actual)
    {
        Assert.Same(expected.Definition, actual.Definition);
        Assert.Same(expected.Query, actual.Query);
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal((expected.Leads, expected.Won, expected.EverWon, expected.Lost, expected.Open), (actual.Leads, actual.Won, actual.EverWon, actual.Lost, actual.Open));
        Assert.Equal(expected.OverallConversion, actual.OverallConversion);
        Assert.Equal(expected.WinRate, actual.WinRate);
        Assert.Equal(expected.CycleTimeToWon, actual.CycleTimeToWon);
        Assert.Equal(expected.Reached.ToArray(), actual.Reached.ToArray());
        Assert.Equal(expected.Transitions, actual.Transitions);
        Assert.Equal(expected.LossesByStage, actual.LossesByStage);
        AssertSameLosses(expected.Losses, actual.Losses);
        AssertSameLosses(expected.LossesAfterLoss, actual.LossesAfterLoss);
        AssertSameLosses(expected.LossesAtUnknownStage, actual.LossesAtUnknownStage);
        Assert.Equal(expected.TimeAfterLoss, actual.TimeAfterLoss);
        Assert.Equal(expected.Stages.Length, actual.Stages.Length);
        foreach (var (e, a) in expected.Stages.Zip(actual.Stages))
        {
            Assert.Same(e.Stage, a.Stage);
            Assert.Equal((e.Reached, e.ConvertedToNext, e.Dropped, e.StillOpen), (a.Reached, a.ConvertedToNext, a.Dropped, a.StillOpen));
            Assert.Equal(e.ConversionFromPrevious, a.ConversionFromPrevious);
            Assert.Equal(e.ConversionFromTop, a.ConversionFromTop);
            Assert.Equal(e.TimeInStage, a.TimeInStage);
            AssertSameLosses(e.Losses, a.Losses);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Restore_NumbersOfAComputedReport_GivesTheSameReport(int queryIndex)
    {
        FunnelQuery[] queries =
        [
            FunnelQuery.Default,
            FunnelQuery.Default.AnyOrder(CountMode.Totals),
            FunnelQuery.Default.AnyOrder().WithSilentAfter(TimeSpan.FromHours(3)),
            FunnelQuery.Default.Ordered(TimeSpan.FromHours(2), AnchorMode.Best).WithAsOf(At(4)).WithConfidenceLevel(0.9).WithMinimumSample(2),
        ];
        var report = FunnelReport.Compute(Abcd, Log, queries[queryIndex]);

        AssertSameNumbers(report, Numbers.Of(report).Restore());
    }

    [Fact]
    public void Restore_EmptyReport_GivesTheSameReport()
    {
        var report = FunnelReport.Compute(Abcd, Array.Empty<FunnelEvent>());

        var restored = Numbers.Of(report).Restore();

        Assert.Null(restored.AsOf);
        AssertSameNumbers(report, restored);
    }

    [Fact]
    public void Restore_NegativeCount_NamesTheValueAndStage()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => (numbers with { Dropped = [0, 0, -1, 0] }).Restore());

        Assert.Equal("dropped", ex.ParamName);
        Assert.Contains("stage 'c'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_PerStageArrayOfWrongLength_SaysHowManyStagesTheDefinitionHas()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { Reached = [5, 4, 1] }).Restore());

        Assert.Equal("reached", ex.ParamName);
        Assert.Contains("one value per stage of 'abcd' (4), not 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_MatrixOfWrongShape_NamesTheShape()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { Transitions = [1, 2, 3] }).Restore());

        Assert.Equal("transitions", ex.ParamName);
        Assert.Contains("5 × 5 = 25 counts, not 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_LossesAndTransitionsIntoLost_MustAgree()
    {
        // The log's losses follow entries into b and c; counting one at a instead contradicts transitions[a, lost].
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));
        long[] moved = [.. numbers.LossesByStage];
        (moved[0], moved[2]) = (1, 0);

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { LossesByStage = [.. moved] }).Restore());

        Assert.Equal("lossesByStage", ex.ParamName);
        Assert.Contains("stage 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_LossesAfterLossWithoutPairsFromLostToLost_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { LossesAfterLoss = [1, 0] }).Restore());

        Assert.Equal("lossesAfterLoss", ex.ParamName);
    }

    [Fact]
    public void Restore_MoreLossesAtAnUnknownStageThanLeads_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { LossesAtUnknownStage = [3, 3] }).Restore());

        Assert.Equal("lossesAtUnknownStage", ex.ParamName);
    }

    [Fact]
    public void Restore_LossCountsNotOnePerReason_SaysHowManyReasons()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { LossesAtUnknownStage = [0] }).Restore());

        Assert.Contains("one value per loss reason of 'abcd' (2), not 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_LogWithLossesAfterALossAndAtAnUnknownStage_GivesTheSameReport()
    {
        FunnelEvent[] log =
        [
            Lose("U", "a", 0, "price"), Enter("U", "a", 1),
            Enter("L", "a", 0), Lose("L", "a", 1, "price"), Lose("L", "a", 2, "competitor"), Enter("L", "b", 4),
        ];
        var report = FunnelReport.Compute(Abcd, log);

        AssertSameNumbers(report, Numbers.Of(report).Restore());
        Assert.Equal(3, report.Losses.Total);
    }

    [Fact]
    public void Restore_OpenNotTheSumOfDroppedAndStillOpen_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { Open = numbers.Open + 1 }).Restore());

        Assert.Equal("open", ex.ParamName);
    }

    [Fact]
    public void Restore_CycleTimeSamplesNotOnePerWonLead_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { CycleTimeToWon = default }).Restore());

        Assert.Equal("cycleTimeToWon", ex.ParamName);
    }

    [Fact]
    public void Restore_EverWonBelowWonOrAboveLeads_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var below = Assert.Throws<ArgumentOutOfRangeException>(() => (numbers with { EverWon = numbers.Won - 1 }).Restore());
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => (numbers with { EverWon = numbers.Won + numbers.Lost + numbers.Open + 1 }).Restore());

        Assert.Equal(("everWon", "everWon"), (below.ParamName, above.ParamName));
    }

    [Fact]
    public void Restore_EverWonMissing_TakesWon()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        Assert.Equal(numbers.Won, (numbers with { EverWon = null }).Restore().EverWon);
    }

    [Fact]
    public void Restore_ConvertedMoreThanReached_NamesTheStage()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { ConvertedToNext = [4, 2, 1, 0] }).Restore());

        Assert.Equal("convertedToNext", ex.ParamName);
        Assert.Contains("stage 'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_LastStageConverted_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log, FunnelQuery.Default.AnyOrder()));
        var converted = numbers.ConvertedToNext.SetItem(3, 1);

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { ConvertedToNext = converted }).Restore());

        Assert.Contains("last stage 'd'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_ReachedFromTopUnderTotals_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log, FunnelQuery.Default.AnyOrder(CountMode.Totals)));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { ReachedFromTop = [1, 1, 1, 1] }).Restore());

        Assert.Equal("reachedFromTop", ex.ParamName);
    }

    [Fact]
    public void Restore_ReachedFromTopMissingUnderUniques_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { ReachedFromTop = [] }).Restore());

        Assert.Equal("reachedFromTop", ex.ParamName);
    }

    [Fact]
    public void Restore_AsOfOtherThanTheQuerys_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log, FunnelQuery.Default.WithAsOf(At(4))));

        var ex = Assert.Throws<ArgumentException>(() => (numbers with { AsOf = At(5) }).Restore());

        Assert.Equal("asOf", ex.ParamName);
    }

    [Fact]
    public void Restore_LeadsWithoutAsOf_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        Assert.Throws<ArgumentException>(() => (numbers with { AsOf = null }).Restore());
    }

    [Fact]
    public void Restore_NullDefinition_Throws()
    {
        var numbers = Numbers.Of(FunnelReport.Compute(Abcd, Log));

        Assert.Throws<ArgumentNullException>(() => (numbers with { Definition = null! }).Restore());
    }

    [Fact]
    public void FromAggregates_ConsistentValues_GivesTheSameSummaryAsTheSamples()
    {
        var fromSamples = DurationSummary.FromSeconds([30, 10, 20, 400]);

        var restored = DurationSummary.FromAggregates(fromSamples.Count, fromSamples.TotalSeconds, fromSamples.MedianSeconds, fromSamples.UpperMedianSeconds, fromSamples.P90Seconds);
        var withoutUpper = DurationSummary.FromAggregates(fromSamples.Count, fromSamples.TotalSeconds, fromSamples.MedianSeconds, fromSamples.P90Seconds);

        Assert.Equal(fromSamples, restored);
        Assert.Equal((20L, 30L), (fromSamples.MedianSeconds, fromSamples.UpperMedianSeconds));

        // Without the upper median (a summary saved before it existed) it is taken to be the lower median.
        Assert.Equal(withoutUpper.MedianSeconds, withoutUpper.UpperMedianSeconds);
        Assert.Equal(default, DurationSummary.FromAggregates(0, 0, 0, 0));
    }

    [Theory]
    [InlineData(-1, 0, 0, 0)]
    [InlineData(1, -5, 0, 0)]
    [InlineData(0, 10, 0, 0)]
    [InlineData(2, 10, 8, 5)]
    [InlineData(2, 10, 5, 11)]
    public void FromAggregates_InconsistentValues_Throws(long count, long total, long median, long p90) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationSummary.FromAggregates(count, total, median, p90));

    private static void AssertSameLosses(LossBreakdown expected, LossBreakdown actual)
    {
        Assert.Equal((expected.Total, expected.Recoverable), (actual.Total, actual.Recoverable));
        Assert.Equal(expected.ByReason.Select(r => (r.Reason, r.Count)), actual.ByReason.Select(r => (r.Reason, r.Count)));
    }
}
