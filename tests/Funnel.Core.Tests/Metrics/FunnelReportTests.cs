using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// Hand-computed reports on a five-lead log (docs/metrics.md walks through the same log):
/// L1 a0 b1 c3 d6 (won) · L2 a0 b2, lost at b for price at 5 · L3 b0 a1 b4 (open) ·
/// L4 a0 c1, lost at c to a competitor at 2 · L5 a0 a2 b10 (open). Times in hours.
/// </summary>
public sealed partial class FunnelReportTests
{
    /// <summary>The five-lead log of docs/metrics.md.</summary>
    internal static readonly FunnelEvent[] Log =
    [
        Enter("L1", "a", 0), Enter("L2", "a", 0), Enter("L3", "b", 0), Enter("L4", "a", 0), Enter("L5", "a", 0),
        Enter("L1", "b", 1), Enter("L3", "a", 1), Enter("L4", "c", 1),
        Enter("L2", "b", 2), Enter("L5", "a", 2), Lose("L4", "c", 2, "competitor"),
        Enter("L1", "c", 3), Enter("L3", "b", 4), Lose("L2", "b", 5, "price"),
        Enter("L1", "d", 6), Enter("L5", "b", 10),
    ];

    private static FunnelReport Report(FunnelQuery query) => FunnelReport.Compute(Abcd, Log, query);

    [Fact]
    public void Compute_DefaultQuery_ReachedIsOrderedFromFirstAnchor()
    {
        var report = Report(FunnelQuery.Default);

        Assert.Equal([5L, 4, 1, 1], report.Reached.ToArray());
        Assert.Equal([4L, 1, 1, 0], report.Stages.Select(s => s.ConvertedToNext));
        Assert.Equal(5, report.Leads);
        var b = report["b"];
        Assert.Equal(4, b.ConversionFromPrevious.Successes);
        Assert.Equal(5, b.ConversionFromPrevious.Trials);
        Assert.Equal(1, report["c"].ConversionFromPrevious.Successes);
        Assert.Equal(4, report["c"].ConversionFromPrevious.Trials);
        Assert.Equal(0.2, report["d"].ConversionFromTop!.Value.Value, 12);
        Assert.Equal(1.0, report["a"].ConversionFromPrevious.Value);
    }

    [Fact]
    public void Compute_WindowOfNineHours_LateStepDoesNotCount()
    {
        // L5 enters b 10 h after its first a: outside a 9 h window from the first anchor.
        Assert.Equal([5L, 3, 1, 1], Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(9))).Reached.ToArray());
    }

    [Fact]
    public void Compute_WindowIsInclusive()
    {
        // L1 enters d exactly 6 h after a.
        Assert.Equal(1, Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(6))).Reached[3]);
        Assert.Equal(0, Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1))).Reached[3]);
    }

    [Theory]
    [InlineData(AnchorMode.Latest)]
    [InlineData(AnchorMode.Best)]
    public void Compute_LatestOrBestAnchor_ReentryRestartsTheWindow(AnchorMode anchor)
    {
        // L5's second entry into a at 2 h is 8 h before b.
        Assert.Equal([5L, 4, 1, 1], Report(FunnelQuery.Default.Ordered(TimeSpan.FromHours(9), anchor)).Reached.ToArray());
    }

    [Fact]
    public void Compute_BestAnchor_PicksTheDeepestEvenWhenLatestIsWorse()
    {
        // X: a0 b1 a2 — the first anchor reaches b, the latest reaches only a.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 1), Enter("X", "a", 2)];
        Assert.Equal([1L, 1, 0, 0], FunnelReport.Compute(Abcd, log, FunnelQuery.Default.Ordered(null, AnchorMode.Best)).Reached.ToArray());
        Assert.Equal([1L, 0, 0, 0], FunnelReport.Compute(Abcd, log, FunnelQuery.Default.Ordered(null, AnchorMode.Latest)).Reached.ToArray());
        Assert.Equal([1L, 1, 0, 0], FunnelReport.Compute(Abcd, log, FunnelQuery.Default.Ordered(null, AnchorMode.First)).Reached.ToArray());
    }

    [Fact]
    public void Compute_AnyOrderUniques_CountsEveryStageTouched()
    {
        var report = Report(FunnelQuery.Default.AnyOrder());

        Assert.Equal([5L, 4, 2, 1], report.Reached.ToArray());
        Assert.Equal([4L, 1, 1, 0], report.Stages.Select(s => s.ConvertedToNext));
        Assert.Equal(2, report["c"].ConversionFromTop!.Value.Successes);
        Assert.Equal(5, report["c"].ConversionFromTop!.Value.Trials);
    }

    [Fact]
    public void Compute_AnyOrderTotals_CountsEveryEntryAndDirectMoves()
    {
        var report = Report(FunnelQuery.Default.AnyOrder(CountMode.Totals));

        Assert.Equal([6L, 5, 2, 1], report.Reached.ToArray());
        Assert.Equal([4L, 1, 1, 0], report.Stages.Select(s => s.ConvertedToNext));
        Assert.All(report.Stages, s => Assert.Null(s.ConversionFromTop));
        Assert.Equal(4, report["b"].ConversionFromPrevious.Successes);
        Assert.Equal(6, report["b"].ConversionFromPrevious.Trials);
    }

    [Fact]
    public void Compute_PassThrough_CountsEarlierStagesOfTheCurrentOne()
    {
        // Current stages: L1 d, L2 b (lost there), L3 b, L4 c (lost there), L5 b.
        Assert.Equal([5L, 5, 2, 1], Report(FunnelQuery.Default.PassThrough()).Reached.ToArray());
    }

    [Fact]
    public void Compute_TransitionsAndLosses_MatchTheHandCount()
    {
        var report = Report(FunnelQuery.Default);

        // Rows and columns a, b, c, d, lost: both losses are their lead's last event, so the lost row is empty.
        long[] expected =
        [
            1, 4, 1, 0, 0,
            1, 0, 1, 0, 1,
            0, 0, 0, 1, 1,
            0, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, report.Transitions.Counts.ToArray());
        Assert.Equal((5, 5, 4), (report.Transitions.Rows, report.Transitions.Columns, report.LostIndex));
        Assert.Equal(0, report.LossesAfterLoss.Total);
        Assert.Equal(0, report.LossesAtUnknownStage.Total);
        Assert.Equal(default, report.TimeAfterLoss);
        Assert.Equal(1, report.LossesByStage[1, 0]);
        Assert.Equal(1, report.LossesByStage[2, 1]);
        Assert.Equal(2, report.LossesByStage.Total);
        Assert.Equal(1, report["b"].Losses["price"]);
        Assert.Equal(1, report["c"].Losses["competitor"]);
        Assert.Equal(1, report.Losses.Recoverable);
        Assert.Equal(1, report.Losses.NotRecoverable);
    }

    [Fact]
    public void Compute_EveryStay_CountTotalMedianP90()
    {
        var report = Report(FunnelQuery.Default);

        var a = report["a"].TimeInStage; // 1 1 2 2 3 8 hours
        Assert.Equal(6, a.Count);
        Assert.Equal(Hours(17), a.TotalSeconds);
        Assert.Equal(Hours(2), a.MedianSeconds);
        Assert.Equal(Hours(8), a.P90Seconds);
        Assert.Equal(17.0 / 6 * 3600, a.MeanSeconds, 9);
        var b = report["b"].TimeInStage; // 1 2 3
        Assert.Equal((3L, Hours(6), Hours(2), Hours(3)), (b.Count, b.TotalSeconds, b.MedianSeconds, b.P90Seconds));
        var c = report["c"].TimeInStage; // 1 3: the lower median is 1
        Assert.Equal((2L, Hours(4), Hours(1), Hours(3)), (c.Count, c.TotalSeconds, c.MedianSeconds, c.P90Seconds));
        Assert.Equal(0, report["d"].TimeInStage.Count);
    }

    [Fact]
    public void Compute_LatestStay_OneSamplePerLeadItsLastStay()
    {
        var a = Report(FunnelQuery.Default.WithTimeInStage(TimeInStageMode.LatestStay))["a"].TimeInStage; // 1 2 3 1 8
        Assert.Equal((5L, Hours(15), Hours(2)), (a.Count, a.TotalSeconds, a.MedianSeconds));
    }

    [Fact]
    public void Compute_Cumulative_OneSamplePerLeadSumOfStays()
    {
        var a = Report(FunnelQuery.Default.WithTimeInStage(TimeInStageMode.Cumulative))["a"].TimeInStage; // 1 2 3 1 10
        Assert.Equal((5L, Hours(17), Hours(2), Hours(10)), (a.Count, a.TotalSeconds, a.MedianSeconds, a.P90Seconds));
    }

    [Fact]
    public void Compute_IncludeOpenStays_AddsTheCurrentStayUntilAsOf()
    {
        // As of 12 h: L3 sits in b since 4 h (8 h), L5 since 10 h (2 h).
        var b = Report(FunnelQuery.Default.WithAsOf(At(12)).WithTimeInStage(TimeInStageMode.EveryStay, includeOpenStays: true))["b"].TimeInStage;
        Assert.Equal((5L, Hours(6 + 8 + 2)), (b.Count, b.TotalSeconds));
    }

    [Fact]
    public void Compute_Totals_WonLostOpenRatesAndCycleTime()
    {
        var report = Report(FunnelQuery.Default);

        Assert.Equal((1L, 1L, 2L, 2L), (report.Won, report.EverWon, report.Lost, report.Open));
        Assert.Equal((1L, 5L), (report.OverallConversion.Successes, report.OverallConversion.Trials));
        Assert.Equal((1L, 3L), (report.WinRate.Successes, report.WinRate.Trials));
        Assert.Equal((1L, Hours(6)), (report.CycleTimeToWon.Count, report.CycleTimeToWon.MedianSeconds));
        Assert.Equal(At(10), report.AsOf);
        Assert.True(report.OverallConversion.IsSmallSample);
    }

    [Fact]
    public void Compute_SilentAfter_SplitsOpenLeadsIntoDroppedAndStillOpen()
    {
        // As of 10 h, L3's last event was at 4 h (6 h silent), L5's at 10 h.
        var report = Report(FunnelQuery.Default.WithSilentAfter(TimeSpan.FromHours(5)));
        Assert.Equal((1L, 1L), (report["b"].Dropped, report["b"].StillOpen));
        var relaxed = Report(FunnelQuery.Default);
        Assert.Equal((0L, 2L), (relaxed["b"].Dropped, relaxed["b"].StillOpen));
    }

    [Fact]
    public void Compute_AsOf_IgnoresLaterEvents()
    {
        var report = Report(FunnelQuery.Default.WithAsOf(At(3)));

        Assert.Equal([5L, 2, 1, 0], report.Reached.ToArray());
        Assert.Equal((0L, 1L, 4L), (report.Won, report.Lost, report.Open));
        Assert.Equal(At(3), report.AsOf);
    }

    [Fact]
    public void Compute_EnteredBetween_KeepsLeadsWhoseFirstEventIsInRange()
    {
        FunnelEvent[] log = [Enter("early", "a", 0), Enter("late", "a", 30), Enter("late", "b", 31), Enter("later", "a", 60)];
        var report = FunnelReport.Compute(Abcd, log, FunnelQuery.Default.EnteredBetween(At(24), At(48)));

        Assert.Equal(1, report.Leads);
        Assert.Equal([1L, 1, 0, 0], report.Reached.ToArray());
    }

    [Fact]
    public void Compute_ConfidenceLevelAndMinimumSample_ReachEveryRate()
    {
        var report = Report(FunnelQuery.Default.WithConfidenceLevel(0.9).WithMinimumSample(5));

        Assert.Equal(0.9, report["b"].ConversionFromPrevious.Interval.Level);
        Assert.False(report["b"].ConversionFromPrevious.IsSmallSample); // 5 trials
        Assert.True(report["c"].ConversionFromPrevious.IsSmallSample); // 4 trials
        Assert.Equal(Statistics.Wilson(4, 5, 0.9), report["b"].ConversionFromPrevious.Interval);
    }

    [Fact]
    public void Compute_EmptyInput_GivesAnEmptyReport()
    {
        var report = FunnelReport.Compute(Abcd, Array.Empty<FunnelEvent>());

        Assert.Equal(0, report.Leads);
        Assert.Null(report.AsOf);
        Assert.All(report.Stages, s => Assert.Equal(0, s.Reached));
        Assert.False(report.OverallConversion.HasData);
    }

    [Fact]
    public void Compute_TiesKeepLogOrder()
    {
        // b and the loss at the same second: log order says b first, so the loss is attributed to b.
        FunnelEvent[] log = [Enter("T", "a", 0), Enter("T", "b", 1), Lose("T", "a", 1, "price")];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal(1, report.LossesByStage[1, 0]);
        Assert.Equal(1, report.Transitions[1, 4]);
    }

    [Fact]
    public void Compute_UnknownStage_ThrowsNamingEntityAndPosition()
    {
        FunnelEvent[] log = [Enter("L1", "a", 0), Enter("L1", "zzz", 1)];
        var error = Assert.Throws<MetricsInputException>(() => FunnelReport.Compute(Abcd, log));

        Assert.Equal("L1", error.EntityId);
        Assert.Equal(1, error.Position);
        Assert.Contains("zzz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_UnknownLossReason_Throws()
    {
        FunnelEvent[] log = [Lose("L1", "a", 0, "weather")];
        Assert.Throws<MetricsInputException>(() => FunnelReport.Compute(Abcd, log));
    }

    [Fact]
    public void Compute_DefaultEvent_Throws()
    {
        Assert.Throws<MetricsInputException>(() => FunnelReport.Compute(Abcd, [default(FunnelEvent)]));
    }

    [Fact]
    public void Compute_JourneysOfAnotherFunnelOrDuplicateIds_Throw()
    {
        var other = Journey.Start(FunnelTemplates.Aida, "x", At(0));
        Assert.Throws<MetricsInputException>(() => FunnelReport.Compute(Abcd, [other]));
        Assert.Throws<MetricsInputException>(() => FunnelReport.Compute(Abcd, [Start("x", 0), Start("x", 1)]));
    }

    [Fact]
    public void Compute_Journeys_AgreeWithTheirEventLog()
    {
        Journey[] journeys =
        [
            Start("J1", 0).Move("b", 1).Move("c", 3).Move("d", 6),
            Start("J2", 0).Move("b", 2).Lose("price", 5),
            Start("J3", 0).Move("c", 1).Lose("competitor", 2).Reopen(3).Move("b", 4),
            Start("J4", 0).Move("b", 1).Win(2),
            Start("J5", 0).Move("a", 2).Move("b", 10),
        ];
        FunnelEvent[] log =
        [
            Enter("J1", "a", 0), Enter("J1", "b", 1), Enter("J1", "c", 3), Enter("J1", "d", 6),
            Enter("J2", "a", 0), Enter("J2", "b", 2), Lose("J2", "b", 5, "price"),
            Enter("J3", "a", 0), Enter("J3", "c", 1), Lose("J3", "c", 2, "competitor"), Enter("J3", "c", 3), Enter("J3", "b", 4),
            Enter("J4", "a", 0), Enter("J4", "b", 1), Enter("J4", "d", 2),
            Enter("J5", "a", 0), Enter("J5", "a", 2), Enter("J5", "b", 10),
        ];

        var fromJourneys = FunnelReport.Compute(Abcd, journeys);
        var fromEvents = FunnelReport.Compute(Abcd, log);

        Assert.Equal(fromEvents.Reached.ToArray(), fromJourneys.Reached.ToArray());
        Assert.Equal(fromEvents.Transitions, fromJourneys.Transitions);
        Assert.Equal(fromEvents.LossesByStage, fromJourneys.LossesByStage);
        Assert.Equal(fromEvents.Stages.Select(s => s.TimeInStage), fromJourneys.Stages.Select(s => s.TimeInStage));
        Assert.Equal((2L, 1L, 2L), (fromJourneys.Won, fromJourneys.Lost, fromJourneys.Open));
        Assert.Equal((fromEvents.Won, fromEvents.Lost, fromEvents.Open), (fromJourneys.Won, fromJourneys.Lost, fromJourneys.Open));
        Assert.Equal([Hours(2), Hours(6)], new[] { fromJourneys.CycleTimeToWon.MedianSeconds, fromJourneys.CycleTimeToWon.P90Seconds });
    }

    [Fact]
    public void Compute_MarkWonAtTheGoalAfterReopen_EmitsNoEventButWins()
    {
        var journey = Start("W", 0).Move("d", 1).Reopen(2).Win(3);
        var report = FunnelReport.Compute(Abcd, [journey]);

        Assert.Equal(2, report.Transitions.Total + 1); // two events: a, d
        Assert.Equal(1, report.Won);
        Assert.Equal(Hours(3), report.CycleTimeToWon.MedianSeconds);
    }

    [Fact]
    public void Indexer_UnknownStage_Throws()
    {
        Assert.Throws<ArgumentException>(() => Report(FunnelQuery.Default)["nope"]);
    }
}
