using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// Regression tests for the rules the report changed to agree with the bulk engine (issue 14, bulk semantics v2):
/// equal timestamps match in any order, a loss is counted where the lead was (never at an unknown stage, apart after
/// a loss), pairs and stays after a loss are a row of their own, totals are exact.
/// </summary>
public sealed partial class FunnelReportTests
{
    private static readonly FunnelDefinition FiveStages = new FunnelDefinitionBuilder("five")
        .AddStage("s0").AddStage("s1").AddStage("s2").AddStage("s3").AddStage("s4")
        .WonAt("s4")
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .AddLossReason("price")
        .Build();

    private static FunnelEvent Second(string id, string stage, long seconds) => new(id, stage, T0.AddSeconds(seconds));

    [Fact]
    public void Reach_NextStageLoggedBeforeTheAnchorInTheSameSecond_Counts()
    {
        // Was [1, 0, 0, 0]: b was logged before a, so it did not follow the anchor.
        FunnelEvent[] log = [Enter("X", "b", 0), Enter("X", "a", 0)];

        Assert.Equal([1L, 1, 0, 0], FunnelReport.Compute(Abcd, log).Reached.ToArray());
    }

    [Fact]
    public void Reach_SeveralStagesInOneSecond_MatchInStageOrder()
    {
        // Was [1, 0, 0, 0] for the reversed second and [1, 1, 1, 1] for the sorted one.
        FunnelEvent[] reversed = [Enter("X", "d", 1), Enter("X", "c", 1), Enter("X", "b", 1), Enter("X", "a", 1)];
        FunnelEvent[] sorted = [Enter("X", "a", 1), Enter("X", "b", 1), Enter("X", "c", 1), Enter("X", "d", 1)];

        Assert.Equal([1L, 1, 1, 1], FunnelReport.Compute(Abcd, reversed).Reached.ToArray());
        Assert.Equal([1L, 1, 1, 1], FunnelReport.Compute(Abcd, sorted).Reached.ToArray());
    }

    [Fact]
    public void Reach_StageBeforeTheAnchorsSecond_DoesNotCount()
    {
        // b one hour before the first entry into a: timestamps must not decrease.
        FunnelEvent[] log = [Enter("X", "b", 0), Enter("X", "a", 1), Enter("X", "c", 2)];

        Assert.Equal([1L, 0, 0, 0], FunnelReport.Compute(Abcd, log).Reached.ToArray());
    }

    [Fact]
    public void Reach_LatestAnchor_TiedEntriesAreChosenByTimeOnly()
    {
        // Two entries into a: the latest is at 5 h, where b was logged before it. Was [1, 0, 0, 0].
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 5), Enter("X", "a", 5)];
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromHours(1), AnchorMode.Latest);

        Assert.Equal([1L, 1, 0, 0], FunnelReport.Compute(Abcd, log, query).Reached.ToArray());
    }

    [Fact]
    public void Reach_BestAnchor_CanUseAStepLoggedBeforeItsAnchor()
    {
        // W = 1 h. From a@0 nothing follows in time; from a@10, b@10 (logged before it) and c@11 do. Was [1, 0, 0, 0].
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 10), Enter("X", "a", 10), Enter("X", "c", 11)];

        Assert.Equal([1L, 1, 1, 0], FunnelReport.Compute(Abcd, log, FunnelQuery.Default.Ordered(TimeSpan.FromHours(1), AnchorMode.Best)).Reached.ToArray());
        Assert.Equal([1L, 0, 0, 0], FunnelReport.Compute(Abcd, log, FunnelQuery.Default.Ordered(TimeSpan.FromHours(1), AnchorMode.First)).Reached.ToArray());
    }

    [Theory]
    [InlineData(AnchorMode.First, 3, 4)]
    [InlineData(AnchorMode.First, 4, 5)]
    [InlineData(AnchorMode.Latest, 3, 4)]
    [InlineData(AnchorMode.Latest, 4, 5)]
    [InlineData(AnchorMode.Best, 3, 4)]
    [InlineData(AnchorMode.Best, 4, 5)]
    public void Reach_LongLeadLoopingThroughTheStages_EveryAnchorMode(AnchorMode anchor, long windowSeconds, int level)
    {
        // 150,000 events a second apart, 0 1 2 3 4 3 2 1 0 1 …: every stage-0 entry starts a climb to 4 in 4 s. The
        // level is one pass over the lead (the best anchor used to try every one of its 18,750 anchors).
        int[] cycle = [0, 1, 2, 3, 4, 3, 2, 1];
        var log = Enumerable.Range(0, 150_000).Select(i => Second("X", $"s{cycle[i % cycle.Length]}", i)).ToList();

        var report = FunnelReport.Compute(FiveStages, log, FunnelQuery.Default.Ordered(TimeSpan.FromSeconds(windowSeconds), anchor));

        Assert.Equal(Enumerable.Range(0, 5).Select(k => k < level ? 1L : 0L), report.Reached);
        Assert.Equal(149_999, report.Transitions.Total);
        Assert.Equal(18_750, report.Transitions[0, 1]);
        Assert.Equal(18_749, report.Transitions[1, 0]);
    }

    [Fact]
    public void Losses_LossAsTheLeadsFirstEvent_CountsAtAnUnknownStage()
    {
        // Was counted at a, the stage the loss row names.
        FunnelEvent[] log = [Lose("X", "a", 0, "price"), Enter("X", "a", 1)];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal(0, report.LossesByStage.Total);
        Assert.Equal(0, report["a"].Losses.Total);
        Assert.Equal(1, report.LossesAtUnknownStage["price"]);
        Assert.Equal(1, report.Losses["price"]);
        Assert.Equal(1, report.Transitions[report.LostIndex, 0]);
    }

    [Fact]
    public void Losses_LossAfterALoss_CountsAfterTheLossNotAtAStage()
    {
        // Was competitor counted at b (the stage of the previous event, itself a loss at b), and both pairs in row b.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 1), Lose("X", "b", 2, "price"), Lose("X", "b", 3, "competitor")];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal(1, report["b"].Losses["price"]);
        Assert.Equal(0, report["b"].Losses["competitor"]);
        Assert.Equal(1, report.LossesAfterLoss["competitor"]);
        Assert.Equal(1, report.Transitions[1, report.LostIndex]);
        Assert.Equal(1, report.Transitions[report.LostIndex, report.LostIndex]);
        Assert.Equal(2, report.Losses.Total);
        Assert.Equal(1, report.Losses.Recoverable);
    }

    [Fact]
    public void Losses_LossRowNamingAnotherStage_CountsAtThePreviousEntrysStage()
    {
        // The lead was at b; the loss row says c. A loss happens where the lead was.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 1), Lose("X", "c", 2, "price")];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal(1, report["b"].Losses["price"]);
        Assert.Equal(0, report["c"].Losses.Total);
    }

    [Fact]
    public void Losses_JourneyLostReopenedAndLostAgain_SecondLossIsAtTheReopenedStage()
    {
        // Reopening a lost lead is an entry into its stage (b at 3), so the second loss happened at b, after one hour
        // there. Was: the reopening was no event, and the second loss counted after a loss with 2 h after the first.
        var journey = Start("J", 0).Move("b", 1).Lose("price", 2).Reopen(3).Lose("competitor", 4);
        var report = FunnelReport.Compute(Abcd, [journey]);

        Assert.Equal((1L, 1L), (report["b"].Losses["price"], report["b"].Losses["competitor"]));
        Assert.Equal(0, report.LossesAfterLoss.Total);
        Assert.Equal(Hours(1), report.TimeAfterLoss.TotalSeconds);
        Assert.Equal(1, report.Transitions[report.LostIndex, 1]);
        Assert.Equal(2, report["b"].TimeInStage.Count);
    }

    [Fact]
    public void LossesAfterLoss_TwoLossRowsInALog_StillCountAfterALoss()
    {
        // An event log can still hold two losses in a row (an export without the reopening): the second is at no stage.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 1), Lose("X", "b", 2, "price"), Lose("X", "b", 4, "competitor")];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal(1, report.LossesAfterLoss["competitor"]);
        Assert.Equal(Hours(2), report.TimeAfterLoss.TotalSeconds);
    }

    [Fact]
    public void EverWon_LostAfterTheGoal_CountsTheSaleButNotAWin()
    {
        // X reached the goal and was lost afterwards (a refund); Y was won and reopened; Z was won and stayed won.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "d", 1), Lose("X", "d", 2, "price"), Enter("Z", "d", 0)];
        var fromLog = FunnelReport.Compute(Abcd, log);
        var fromJourneys = FunnelReport.Compute(Abcd, [Start("Y", 0).Move("d", 1).Reopen(2), Start("Z", 0).Move("d", 1)]);

        Assert.Equal((1L, 2L, 1L), (fromLog.Won, fromLog.EverWon, fromLog.Lost));
        Assert.Equal((1L, 2L, 1L), (fromJourneys.Won, fromJourneys.EverWon, fromJourneys.Open));
    }

    [Fact]
    public void TimeInStage_StayAfterALoss_IsTimeAfterLossNotInTheLossRowsStage()
    {
        // a@0, lost (row says a) @1, b@3. Was: two stays in a (1 h and 2 h) and the pair lost→b in row a.
        FunnelEvent[] log = [Enter("X", "a", 0), Lose("X", "a", 1, "price"), Enter("X", "b", 3)];
        var report = FunnelReport.Compute(Abcd, log);

        Assert.Equal((1L, (Int128)Hours(1)), (report["a"].TimeInStage.Count, report["a"].TimeInStage.TotalSeconds));
        Assert.Equal((1L, (Int128)Hours(2), Hours(2)), (report.TimeAfterLoss.Count, report.TimeAfterLoss.TotalSeconds, report.TimeAfterLoss.MedianSeconds));
        Assert.Equal(1, report.Transitions[0, report.LostIndex]);
        Assert.Equal(1, report.Transitions[report.LostIndex, 1]);
        Assert.Equal(0, report.Transitions[0, 1]);
    }

    [Theory]
    [InlineData(TimeInStageMode.LatestStay)]
    [InlineData(TimeInStageMode.Cumulative)]
    public void TimeInStage_OtherModes_SampleTheTimeAfterLossPerLead(TimeInStageMode mode)
    {
        // Two stays after a loss (1 h, then 3 h): the latest is 3 h, the cumulative 4 h; one sample per lead.
        FunnelEvent[] log = [Enter("X", "a", 0), Lose("X", "a", 1, "price"), Enter("X", "a", 2), Lose("X", "a", 3, "price"), Enter("X", "b", 6)];
        var report = FunnelReport.Compute(Abcd, log, FunnelQuery.Default.WithTimeInStage(mode));

        Assert.Equal((1L, (Int128)Hours(mode == TimeInStageMode.LatestStay ? 3 : 4)), (report.TimeAfterLoss.Count, report.TimeAfterLoss.TotalSeconds));
    }

    [Fact]
    public void Losses_DocsExampleOfLossesAtNoStage_MatchesDocsMetrics()
    {
        // docs/metrics.md, "The totals": lead Y.
        FunnelEvent[] log = [Lose("Y", "a", 0, "price"), Enter("Y", "a", 1), Lose("Y", "a", 2, "competitor"), Lose("Y", "a", 3, "price"), Enter("Y", "b", 5)];
        var report = FunnelReport.Compute(Abcd, log);
        var lost = report.LostIndex;

        Assert.Equal((1L, 1L, 1L, 3L), (report.LossesAtUnknownStage["price"], report["a"].Losses["competitor"], report.LossesAfterLoss["price"], report.Losses.Total));
        Assert.Equal((1L, 1L, 1L, 1L, 4L), (report.Transitions[lost, 0], report.Transitions[0, lost], report.Transitions[lost, lost], report.Transitions[lost, 1], report.Transitions.Total));
        Assert.Equal((1L, (Int128)Hours(1)), (report["a"].TimeInStage.Count, report["a"].TimeInStage.TotalSeconds));
        Assert.Equal((3L, (Int128)Hours(4), Hours(1)), (report.TimeAfterLoss.Count, report.TimeAfterLoss.TotalSeconds, report.TimeAfterLoss.MedianSeconds));
    }

    [Fact]
    public void Reach_DocsExampleThreeStagesInOneSecond_ReachesAllThree()
    {
        FunnelEvent[] log = [Enter("X", "b", 7), Enter("X", "c", 7), Enter("X", "a", 7)];

        Assert.Equal([1L, 1, 1, 0], FunnelReport.Compute(Abcd, log).Reached.ToArray());
    }

    [Fact]
    public void DurationSummary_TotalPastLongMaxValue_IsExact()
    {
        // Was wrapped around to a negative total.
        var summary = DurationSummary.FromSeconds([long.MaxValue, long.MaxValue, 2]);

        Assert.Equal(((Int128)long.MaxValue * 2) + 2, summary.TotalSeconds);
        Assert.Equal(long.MaxValue, summary.MedianSeconds);
        Assert.Equal(summary, DurationSummary.FromAggregates(3, summary.TotalSeconds, long.MaxValue, long.MaxValue));
    }
}
