using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class ForecastTests
{
    [Fact]
    public void AbsorbingMarkovChain_DrunkardsWalk_MatchesGrinsteadSnell()
    {
        // Grinstead & Snell, Introduction to Probability, §11.2, Examples 11.13–11.15 (drunkard's walk on 0..4, p = 1/2):
        // N = [[3/2, 1, 1/2], [1, 2, 1], [1/2, 1, 3/2]], t = (3, 4, 3), B = [[3/4, 1/4], [1/2, 1/2], [1/4, 3/4]].
        var chain = new AbsorbingMarkovChain(
            new double[,] { { 0, 0.5, 0 }, { 0.5, 0, 0.5 }, { 0, 0.5, 0 } },
            new double[,] { { 0.5, 0 }, { 0, 0 }, { 0, 0.5 } });

        double[,] n = { { 1.5, 1, 0.5 }, { 1, 2, 1 }, { 0.5, 1, 1.5 } };
        double[,] b = { { 0.75, 0.25 }, { 0.5, 0.5 }, { 0.25, 0.75 } };
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(n[i, j], chain.ExpectedVisits(i, j), 12);
            }

            Assert.Equal(b[i, 0], chain.AbsorptionProbability(i, 0), 12);
            Assert.Equal(b[i, 1], chain.AbsorptionProbability(i, 1), 12);
        }

        Assert.Equal([3.0, 4.0, 3.0], chain.ExpectedMoves.Select(x => Math.Round(x, 12)));
        Assert.Equal([6.0, 8.0, 6.0], chain.ExpectedTimes([2.0, 2.0, 2.0]).Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void AbsorbingMarkovChain_GamblersRuin_MatchesClosedForm()
    {
        // Gambler's ruin on 0..N with win probability p per step: P(reach N | i) = (1 − (q/p)^i) / (1 − (q/p)^N), and the
        // expected duration D_i = i / (q − p) − (N / (q − p)) (1 − (q/p)^i) / (1 − (q/p)^N) (Feller, vol. I, XIV.2–3).
        const int bigN = 6;
        const double p = 0.6, q = 0.4;
        var transient = new double[bigN - 1, bigN - 1];
        var absorbing = new double[bigN - 1, 2]; // column 0: ruin (0), column 1: reach N
        for (var i = 1; i < bigN; i++)
        {
            var row = i - 1;
            if (i + 1 == bigN)
            {
                absorbing[row, 1] = p;
            }
            else
            {
                transient[row, row + 1] = p;
            }

            if (i - 1 == 0)
            {
                absorbing[row, 0] = q;
            }
            else
            {
                transient[row, row - 1] = q;
            }
        }

        // Scramble the state order to exercise the pivoting: reverse it.
        var chain = new AbsorbingMarkovChain(Reverse(transient), ReverseRows(absorbing));
        var ratio = q / p;
        for (var i = 1; i < bigN; i++)
        {
            var win = (1 - Math.Pow(ratio, i)) / (1 - Math.Pow(ratio, bigN));
            var duration = (i / (q - p)) - (bigN / (q - p) * win);
            var state = bigN - 1 - i;
            Assert.Equal(win, chain.AbsorptionProbability(state, 1), 12);
            Assert.Equal(duration, chain.ExpectedMoves[state], 10);
        }
    }

    [Fact]
    public void AbsorbingMarkovChain_Misuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AbsorbingMarkovChain(new double[,] { { 1 } }, new double[,] { { 0 } }));
        Assert.Throws<ArgumentException>(() => new AbsorbingMarkovChain(new double[,] { { 0.7 } }, new double[,] { { 0.7 } }));
        Assert.Throws<ArgumentException>(() => new AbsorbingMarkovChain(new double[,] { { -0.1 } }, new double[,] { { 0.5 } }));
        Assert.Throws<ArgumentException>(() => new AbsorbingMarkovChain(new double[,] { { 0.5, 0 } }, new double[,] { { 0.5 } }));
    }

    // P1 a0 b1 c3 d7 (won) · P2 a0 b1 c3, lost 7 · P3 a0 b1, lost 3 · P4 a0, lost 1. Stays: a 1 h, b 2 h, c 4 h.
    private static readonly FunnelEvent[] Moves =
    [
        Enter("P1", "a", 0), Enter("P1", "b", 1), Enter("P1", "c", 3), Enter("P1", "d", 7),
        Enter("P2", "a", 0), Enter("P2", "b", 1), Enter("P2", "c", 3), Lose("P2", "c", 7, "price"),
        Enter("P3", "a", 0), Enter("P3", "b", 1), Lose("P3", "b", 3, "price"),
        Enter("P4", "a", 0), Lose("P4", "a", 1, "competitor"),
    ];

    [Fact]
    public void Learn_ObservedMoves_GiveHandComputedProbabilitiesMovesAndTimes()
    {
        var forecast = MarkovForecast.Learn(Abcd, Moves);

        // P(win | c) = 1/2; P(win | b) = 2/3 · 1/2 = 1/3; P(win | a) = 3/4 · 1/3 = 1/4.
        Assert.Equal(0.25, forecast["a"].WinProbability, 12);
        Assert.Equal(1.0 / 3, forecast["b"].WinProbability, 12);
        Assert.Equal(0.5, forecast["c"].WinProbability, 12);
        Assert.Equal(0.75, forecast["a"].LossProbability, 12);
        Assert.Equal(0, forecast["a"].UnknownProbability, 12);
        // Moves: c 1; b 1 + 2/3; a 1 + 3/4 · 5/3 = 9/4. Times: c 4 h; b 2 + 2/3 · 4 = 14/3 h; a 1 + 3/4 · 14/3 = 4.5 h.
        Assert.Equal(2.25, forecast["a"].ExpectedMoves, 12);
        Assert.Equal(5.0 / 3, forecast["b"].ExpectedMoves, 12);
        Assert.Equal(4.5 * 3600, forecast["a"].ExpectedTimeToClose.TotalSeconds, 6);
        Assert.Equal(14.0 / 3 * 3600, forecast["b"].ExpectedTimeToClose.TotalSeconds, 6);
        Assert.Equal((4L, 3L, 2L), (forecast["a"].ObservedMoves, forecast["b"].ObservedMoves, forecast["c"].ObservedMoves));
        // Configured: a 0.1, b 0.3, c 0.6.
        Assert.Equal(0.15, forecast["a"].Difference!.Value, 12);
        Assert.Equal(0.5 - 0.6, forecast["c"].Difference!.Value, 12);
        Assert.Equal(3, forecast.Stages.Length);
        Assert.Throws<ArgumentException>(() => forecast["d"]);
    }

    [Fact]
    public void Learn_FromJourneys_EqualsFromTheirEvents()
    {
        Journey[] journeys =
        [
            Start("P1", 0).Move("b", 1).Move("c", 3).Move("d", 7),
            Start("P2", 0).Move("b", 1).Move("c", 3).Lose("price", 7),
            Start("P3", 0).Move("b", 1).Lose("price", 3),
            Start("P4", 0).Lose("competitor", 1),
        ];
        var fromJourneys = MarkovForecast.Learn(Abcd, journeys);
        var fromEvents = MarkovForecast.Learn(Abcd, Moves);

        Assert.Equal(fromEvents.Stages.Select(s => s.WinProbability), fromJourneys.Stages.Select(s => s.WinProbability));
        Assert.Equal(fromEvents.Stages.Select(s => s.ExpectedTimeToClose), fromJourneys.Stages.Select(s => s.ExpectedTimeToClose));
    }

    [Fact]
    public void Learn_StagesWithoutExit_HaveAnUnknownOutcomeInsteadOfFailing()
    {
        // Only a re-entry into a was ever seen, and nothing ever left b or c.
        FunnelEvent[] log = [Enter("X", "a", 0), Enter("X", "a", 1)];
        var forecast = MarkovForecast.Learn(Abcd, log);

        Assert.Equal(1, forecast["a"].UnknownProbability, 12);
        Assert.True(forecast["a"].HasData);
        Assert.False(forecast["b"].HasData);
        Assert.Equal(0, forecast["b"].WinProbability);
    }

    [Fact]
    public void Learn_GoalIsTheFirstStage_HasNoTransientStages()
    {
        var single = new FunnelDefinitionBuilder("single").AddStage("buy").WonAt("buy").AddLossReason("price").Build();
        var forecast = MarkovForecast.Learn(single, [new FunnelEvent("x", "buy", T0)]);
        Assert.Empty(forecast.Stages);
        var report = FunnelReport.Compute(single, [new FunnelEvent("x", "buy", T0)]);
        Assert.Equal((1L, 1L), (report.Reached[0], report.Won));
        Assert.Equal(2, report.Transitions.Columns);
    }

    [Fact]
    public void WeightedPipeline_ConfiguredProbabilities_WeighOpenLeadsByValue()
    {
        Journey[] journeys =
        [
            Start("1", 0, ("amount", "1000")).Move("b", 1),
            Start("2", 0, ("amount", "500.50")).Move("b", 1),
            Start("3", 0, ("amount", "2000")).Move("c", 1),
            Start("4", 0, ("amount", "9999")).Move("d", 1), // won: not in the pipeline
            Start("5", 0, ("amount", "9999")).Lose("price", 1), // lost: not either
        ];
        var pipeline = WeightedPipeline.Compute(Abcd, journeys, "amount");

        Assert.Equal((2L, 1500.50m), (pipeline["b"].OpenLeads, pipeline["b"].Value));
        Assert.Equal(1500.50m * 0.3m, pipeline["b"].WeightedValue);
        Assert.Equal(1200m, pipeline["c"].WeightedValue);
        Assert.Equal((3L, 3500.50m, 450.15m + 1200m), (pipeline.OpenLeads, pipeline.TotalValue, pipeline.WeightedValue));
    }

    [Fact]
    public void WeightedPipeline_LearnedProbabilities_ReplaceTheConfiguredOnes()
    {
        Journey[] journeys = [Start("1", 0, ("amount", "1000")).Move("b", 1), Start("2", 0, ("amount", "400"))];
        var learned = MarkovForecast.Learn(Abcd, Moves).ToProbabilities();
        var pipeline = WeightedPipeline.Compute(Abcd, journeys, "amount", learned);

        Assert.Equal(1000m * (decimal)(1.0 / 3) + (400m * 0.25m), pipeline.WeightedValue);
        Assert.Null(pipeline["d"].Probability);
    }

    [Fact]
    public void WeightedPipeline_BadValues_ThrowNamingTheJourney()
    {
        var error = Assert.Throws<MetricsInputException>(() => WeightedPipeline.Compute(Abcd, [Start("x", 0, ("amount", "lots"))], "amount"));
        Assert.Equal("x", error.EntityId);
        Assert.Throws<MetricsInputException>(() => WeightedPipeline.Compute(Abcd, [Start("y", 0)], "amount"));
        Assert.Equal(0m, WeightedPipeline.Compute(Abcd, [Start("y", 0)], "amount", defaultValue: 0m).TotalValue);
        Assert.Throws<ArgumentException>(() => WeightedPipeline.Compute(Abcd, [Start("y", 0)], "amount", new Dictionary<StageKey, double> { ["a"] = 1.5 }));
    }

    private static double[,] Reverse(double[,] m)
    {
        var n = m.GetLength(0);
        var r = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                r[n - 1 - i, n - 1 - j] = m[i, j];
            }
        }

        return r;
    }

    private static double[,] ReverseRows(double[,] m)
    {
        var n = m.GetLength(0);
        var c = m.GetLength(1);
        var r = new double[n, c];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < c; j++)
            {
                r[n - 1 - i, j] = m[i, j];
            }
        }

        return r;
    }
}
