using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>
/// The forecast on logs that record no loss (issue 23): leads idle past the silence threshold are absorbed as "went
/// silent", leads inside it are censored, and stages the data cannot support say so instead of giving a number.
/// </summary>
public sealed class ForecastCensoringTests
{
    // No loss event anywhere. As of 720 h (C1's last event): S1 idle 719 h at b and S2 idle 720 h at a, both past the
    // default 14 days (336 h): silent. C1 entered b at 720 h: censored. W1 and W2 won.
    private static readonly FunnelEvent[] NoLosses =
    [
        Enter("W1", "a", 0), Enter("W1", "b", 1), Enter("W1", "d", 2),
        Enter("W2", "a", 0), Enter("W2", "b", 1), Enter("W2", "d", 2),
        Enter("S1", "a", 0), Enter("S1", "b", 1),
        Enter("S2", "a", 0),
        Enter("C1", "a", 700), Enter("C1", "b", 720),
    ];

    [Fact]
    public void Learn_NoLossEvents_SilentLeadsAreAbsorbedAsNotWon()
    {
        var forecast = MarkovForecast.Learn(Abcd, NoLosses, minimumOutcomes: 3);

        // Out of b: W1, W2 won, S1 silent (C1 censored). Out of a: four moves to b (W1, W2, S1, C1), S2 silent.
        Assert.Equal(2.0 / 3, forecast["b"].WinProbability, 12);
        Assert.Equal(1.0 / 3, forecast["b"].SilentProbability, 12);
        Assert.Equal(0, forecast["b"].LossProbability, 12);
        Assert.Equal(4.0 / 5 * 2 / 3, forecast["a"].WinProbability, 12);
        Assert.Equal((1.0 / 5) + (4.0 / 5 / 3), forecast["a"].SilentProbability, 12);
        Assert.Equal(0, forecast["a"].UnknownProbability, 12);
        Assert.Equal((5L, 3L), (forecast["a"].ObservedMoves, forecast["b"].ObservedMoves));
        Assert.Equal((0L, 1L), (forecast["a"].CensoredLeads, forecast["b"].CensoredLeads));
        Assert.Equal((4L, 1L), (forecast["a"].LeadsWithOutcome, forecast["a"].LeadsWithoutOutcome));
        Assert.Equal(TimeSpan.FromDays(14), forecast["b"].SilenceThreshold);

        // Expected time to close from b: stays 1 h, 1 h and the silent lead's 336 h (the threshold), mean 338/3 h.
        Assert.Equal(338.0 / 3 * 3600, forecast["b"].ExpectedTimeToClose.TotalSeconds, 6);
        Assert.True(forecast["a"].IsSufficient);
        Assert.True(forecast["b"].IsSufficient);
    }

    [Fact]
    public void Learn_NoLossEvents_NoLongerClaimsCertainWins()
    {
        // Before issue 23 the chain learned only the observed moves: with no move to lost, every path ended in won (1.0).
        var forecast = MarkovForecast.Learn(Abcd, NoLosses);
        Assert.True(forecast["a"].WinProbability < 0.6);
        Assert.True(forecast["b"].WinProbability < 0.7);
    }

    [Fact]
    public void Learn_TooFewOutcomes_IsInsufficientWithTheReason()
    {
        var forecast = MarkovForecast.Learn(Abcd, NoLosses);

        Assert.Equal(MarkovForecast.DefaultMinimumOutcomes, forecast.MinimumOutcomes);
        Assert.False(forecast["b"].IsSufficient);
        Assert.Equal(
            "only 3 of the 4 leads that were at this stage have an outcome (won, lost or went silent); at least 10 are needed",
            forecast["b"].InsufficientDataReason);
        Assert.Equal("no move out of this stage was observed", forecast["c"].InsufficientDataReason);
        Assert.StartsWith("c: insufficient data (no move", forecast["c"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Learn_EveryLeadStillInsideTheThreshold_HasNoOutcomeAndSaysSo()
    {
        // Everybody moved a → b within a day and nobody has closed or gone silent: nothing is known about the outcome.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "b", 2), Enter("Y", "a", 1), Enter("Y", "b", 3)];
        var forecast = MarkovForecast.Learn(Abcd, log, minimumOutcomes: 1);

        Assert.False(forecast["a"].IsSufficient);
        Assert.Equal(
            "none of the 2 leads that were at this stage has an outcome yet (won, lost or went silent); they are still open within the silence threshold",
            forecast["a"].InsufficientDataReason);
        Assert.Equal(2, forecast["b"].CensoredLeads);
        Assert.False(forecast["b"].HasData);
    }

    [Fact]
    public void Learn_StageIdleLimit_IsTheSilenceThreshold()
    {
        // b's idle limit is 2 h: S (idle 5 h at b) went silent; with the default 14 days it would be censored.
        var limited = new FunnelDefinitionBuilder("limited")
            .AddStage("a").AddStage("b", s => s.WithIdleLimit(TimeSpan.FromHours(2))).AddStage("d").WonAt("d").Build();
        FunnelEvent[] log = [Enter("W", "a", 0), Enter("W", "b", 1), Enter("W", "d", 6), Enter("S", "a", 0), Enter("S", "b", 1)];

        var forecast = MarkovForecast.Learn(limited, log, minimumOutcomes: 1);
        var unlimited = MarkovForecast.Learn(Abcd, log, minimumOutcomes: 1);

        Assert.Equal(TimeSpan.FromHours(2), forecast["b"].SilenceThreshold);
        Assert.Equal(0.5, forecast["b"].WinProbability, 12);
        Assert.Equal(0.5, forecast["b"].SilentProbability, 12);
        Assert.Equal(1.0, unlimited["b"].WinProbability, 12);
        Assert.Equal(1, unlimited["b"].CensoredLeads);
    }

    [Fact]
    public void Learn_QuerySilentAfter_MovesLeadsBetweenSilentAndCensored()
    {
        var tight = MarkovForecast.Learn(Abcd, NoLosses, FunnelQuery.Default.WithSilentAfter(TimeSpan.FromMinutes(30)), minimumOutcomes: 1);

        // C1 entered b 0 h before the as-of time: still censored; everything else idle past 30 min is silent.
        Assert.Equal(1, tight["b"].CensoredLeads);
        Assert.Equal(1.0 / 3, tight["b"].SilentProbability, 12);
    }

    [Fact]
    public void Learn_UnderReached_MovesAfterTheFirstWinAreNotLearned()
    {
        // R bought (d) and browsed back to b and c afterwards; under last-status those are moves of a reopened lead.
        FunnelEvent[] log = [Enter("R", "a", 0), Enter("R", "d", 1), Enter("R", "b", 2), Enter("R", "c", 3)];
        var reached = Abcd.ToBuilder().WithOutcome(OutcomeRule.Reached).Build();

        var lastStatus = MarkovForecast.Learn(Abcd, log, minimumOutcomes: 1);
        var onceReached = MarkovForecast.Learn(reached, log, minimumOutcomes: 1);

        Assert.Equal(1, lastStatus["b"].ObservedMoves);
        Assert.Equal(1, lastStatus["c"].CensoredLeads);
        Assert.Equal(0, onceReached["b"].ObservedMoves);
        Assert.Equal(0, onceReached["c"].CensoredLeads);
        Assert.Equal(1.0, onceReached["a"].WinProbability, 12);
    }
}
