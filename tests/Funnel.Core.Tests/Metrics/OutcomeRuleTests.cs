using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>What "won" means (issue 23): the status after the last event, or won once the goal is reached.</summary>
public sealed class OutcomeRuleTests
{
    // The three leads of docs/metrics.md ("What won means"): L1 buys; L2 buys and browses on (back to c); L3 buys and
    // is lost afterwards (a refund).
    private static readonly FunnelEvent[] ThreeLeads =
    [
        Enter("L1", "a", 0), Enter("L1", "b", 1), Enter("L1", "d", 2),
        Enter("L2", "a", 0), Enter("L2", "d", 1), Enter("L2", "c", 2),
        Enter("L3", "a", 0), Enter("L3", "d", 1), Lose("L3", "d", 3, "price"),
    ];

    private static readonly FunnelDefinition Reached = Abcd.ToBuilder().WithOutcome(OutcomeRule.Reached).Build();

    [Fact]
    public void LastStatus_IsTheDefault_AndCountsTheStatusAfterTheLastEvent()
    {
        Assert.Equal(OutcomeRule.LastStatus, Abcd.Outcome);
        var report = FunnelReport.Compute(Abcd, ThreeLeads);

        Assert.Equal((1L, 1L, 1L), (report.Won, report.Lost, report.Open));
        Assert.Equal((3L, 1L), (report.EverWon, report.LastStatusWon));
        Assert.True(report.OutcomeRulesDiffer);
        Assert.Equal(0.5, report.WinRate.Value, 12);
    }

    [Fact]
    public void Reached_CountsEveryLeadThatReachedTheGoalAsWon()
    {
        var report = FunnelReport.Compute(Reached, ThreeLeads);

        Assert.Equal((3L, 0L, 0L), (report.Won, report.Lost, report.Open));
        Assert.Equal((3L, 1L), (report.EverWon, report.LastStatusWon));
        Assert.Equal(1.0, report.OverallConversion.Value, 12);

        // The cycle time runs to the first win: 2 h, 1 h, 1 h. Losses still count as loss events (transitions, reasons).
        Assert.Equal((3L, 4 * 3600L, 3600L), (report.CycleTimeToWon.Count, (long)report.CycleTimeToWon.TotalSeconds, report.CycleTimeToWon.MedianSeconds));
        Assert.Equal(1, report.Losses.Total);
    }

    [Fact]
    public void Reached_FromJourneys_EqualsFromEvents()
    {
        Journey[] journeys =
        [
            StartReached("L1", 0).Move("b", 1).Move("d", 2),
            StartReached("L2", 0).Move("d", 1).Reopen(2),
            StartReached("L3", 0).Move("d", 1).Reopen(2).Lose("price", 3),
        ];
        var fromJourneys = FunnelReport.Compute(Reached, journeys);
        var fromEvents = FunnelReport.Compute(Reached, ThreeLeads);

        Assert.Equal((fromEvents.Won, fromEvents.Lost, fromEvents.Open), (fromJourneys.Won, fromJourneys.Lost, fromJourneys.Open));
    }

    [Fact]
    public void Reached_ReopenedAfterAWin_StaysWon_AndMarkedWonCounts()
    {
        Journey[] journeys = [Start("M", 0).Move("b", 1).Win(2).Reopen(3), Start("N", 0).Move("b", 1)];
        Journey[] rebound = [StartReached("M", 0).Move("b", 1).Win(2).Reopen(3), StartReached("N", 0).Move("b", 1)];

        var last = FunnelReport.Compute(Abcd, journeys);
        var reached = FunnelReport.Compute(Reached, rebound);

        Assert.Equal((0L, 2L), (last.Won, last.Open));
        Assert.Equal((1L, 1L), (reached.Won, reached.Open));
    }

    [Fact]
    public void Reached_SurvivesTheBuilderRoundTrip_AndEquality()
    {
        Assert.Equal(OutcomeRule.Reached, Reached.ToBuilder().Build().Outcome);
        Assert.NotEqual(Abcd, Reached);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FunnelDefinitionBuilder("x").WithOutcome((OutcomeRule)7));
    }

    [Fact]
    public void Restore_UnderReached_RequiresWonToEqualEverWon()
    {
        var report = FunnelReport.Compute(Reached, ThreeLeads);
        var copy = Restore(report, report.EverWon, report.LastStatusWon);
        Assert.Equal((report.Won, report.EverWon, report.LastStatusWon), (copy.Won, copy.EverWon, copy.LastStatusWon));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Restore(report, report.EverWon, report.EverWon + 1));
        Assert.Equal("lastStatusWon", error.ParamName);
        var lastStatus = FunnelReport.Compute(Abcd, ThreeLeads);
        var mismatch = Assert.Throws<ArgumentException>(() => Restore(lastStatus, lastStatus.EverWon, lastStatus.EverWon));
        Assert.Contains("outcome 'last-status'", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightedPipeline_UnderReached_LeavesOutLeadsWonOnceAndReopened()
    {
        Journey[] lastStatus = [Start("M", 0, ("amount", "100")).Move("b", 1).Win(2).Reopen(3), Start("N", 0, ("amount", "50")).Move("b", 1)];
        Journey[] reached =
        [
            Journey.Start(Reached, "M", At(0), attributes: [KeyValuePair.Create("amount", "100")]).Move("b", 1).Win(2).Reopen(3),
            Journey.Start(Reached, "N", At(0), attributes: [KeyValuePair.Create("amount", "50")]).Move("b", 1),
        ];

        Assert.Equal(150m, WeightedPipeline.Compute(Abcd, lastStatus, "amount").Stages.Sum(s => s.Value));
        Assert.Equal(50m, WeightedPipeline.Compute(Reached, reached, "amount").Stages.Sum(s => s.Value));
    }

    [Fact]
    public void BulkEngine_RefusesReached_NamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => Core.Bulk.FunnelShape.Of(Reached));
        Assert.Contains("OutcomeRule.Reached", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Core.Bulk.TransitionAnalyzer(Reached, TimeSpan.FromDays(1)));
        Assert.Equal(4, Core.Bulk.FunnelShape.Of(Abcd).StageCount);
    }

    private static FunnelReport Restore(FunnelReport r, long everWon, long lastStatusWon) =>
        FunnelReport.Restore(
            r.Definition, r.Query, r.AsOf, r.Won, r.Lost, r.Open, r.CycleTimeToWon, r.Reached,
            [.. r.Stages.Select(s => s.ConvertedToNext)], [.. r.Stages.Select(s => s.ConversionFromTop!.Value.Successes)],
            [.. r.Stages.Select(s => s.Dropped)], [.. r.Stages.Select(s => s.StillOpen)], [.. r.Stages.Select(s => s.TimeInStage)],
            r.TimeAfterLoss, r.Transitions.Counts, r.LossesByStage.Counts,
            [.. r.LossesAfterLoss.ByReason.Select(x => x.Count)], [.. r.LossesAtUnknownStage.ByReason.Select(x => x.Count)],
            everWon, lastStatusWon);

    /// <summary>Starts a journey that follows the Reached definition (a journey follows one definition).</summary>
    private static Journey StartReached(string id, double hours) => Journey.Start(Reached, id, At(hours));
}
