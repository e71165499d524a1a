using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The bulk engine against DuckDB: every number of the report, on a few hundred generated logs in the hard shapes
/// (batched into one DuckDB database) and on logs of a million events. A difference fails with the first number
/// that differs and a shrunk log that still shows it; FUNNEL_ORACLE_SEED replays a seed.
/// </summary>
public sealed class EngineAgreementTests
{
    [Fact]
    public void Analyze_GeneratedLogs_AgreesWithDuckDb()
    {
        var seed = RandomLogs.Seed;
        var cases = RandomLogs.Generate(seed, 400);

        var expected = DuckDbOracle.Run(cases);

        for (var i = 0; i < cases.Length; i++)
        {
            AssertAgree(expected[i], EngineReport.Analyze(cases[i]), cases[i], $"seed {seed}, log {i}");
            AssertAgree(expected[i], EngineReport.Analyze(cases[i], maxDegreeOfParallelism: 1), cases[i], $"seed {seed}, log {i}, one core");
        }
    }

    [Fact]
    public void Analyze_LargeLogOfHardShapes_AgreesWithDuckDb()
    {
        // 40,000 entities of the same hard shapes in one shuffled log, large enough for the engine's parallel paths,
        // with a zero window (only ties within the anchor's second match) and an hour with per-step windows.
        var random = new Random(RandomLogs.Seed + 1);
        var generated = RandomLogs.Next(random, entityCount: 40_000, stages: 6, reasons: 3);
        var log = Shuffle(generated.Log, random);
        // Plus 200 entities of up to 3,000 events each, looping through the stages with ties.
        var busy = RandomLogs.Next(random, entityCount: 200, stages: 4, reasons: 2, maxEvents: 3_000);
        OracleCase[] cases =
        [
            generated with { Log = log, WindowSeconds = 0, StepWindows = null },
            generated with { Log = log, WindowSeconds = 3_600, StepWindows = [60, long.MaxValue, 5, 0, 120] },
            busy with { Log = Shuffle(busy.Log, random), WindowSeconds = 86_400, StepWindows = null },
        ];

        var expected = DuckDbOracle.Run(cases);

        for (var i = 0; i < cases.Length; i++)
        {
            AssertAgree(expected[i], EngineReport.Analyze(cases[i]), cases[i], $"large hard-shape log {i} ({cases[i].Describe()})");
        }
    }

    [Fact]
    public void Analyze_WideFunnelWithTiesBeyond64Stages_AgreesWithDuckDb()
    {
        // 80 stages entered in one second, logged backwards: the chain of ties runs further ahead than 63 stages.
        var builder = new TransitionLogBuilder();
        for (var stage = 79; stage >= 0; stage--)
        {
            builder.Add(0, stage, 1_000);
        }

        for (var stage = 0; stage < 80; stage += 2)
        {
            builder.Add(1, stage + 1, 2_000 + stage);
            builder.Add(1, stage, 2_000 + stage);
        }

        builder.Add(1, 5, 2_100, lossReason: 0);
        var c = new OracleCase(builder.Build(), StageCount: 80, Goal: 70, ReasonCount: 1, WindowSeconds: 60);

        AssertAgree(DuckDbOracle.Run(c), EngineReport.Analyze(c), c, "wide funnel");
    }

    [Fact]
    public void Analyze_MillionEventGeneratedLog_AgreesWithDuckDb()
    {
        var log = TransitionLogGenerator.Generate(300_000);
        Assert.True(log.Count >= 1_000_000, $"{log.Count} events");
        var c = new OracleCase(log, TransitionLogGenerator.StageCount, Goal: 4, TransitionLogGenerator.LossReasonCount, WindowSeconds: 30L * 86_400);

        AssertAgree(DuckDbOracle.Run(c), EngineReport.Analyze(c), c, "1M-event log");
    }

    [Fact]
    public void Analyze_MillionEventGeneratedLogShuffled_AgreesWithDuckDb()
    {
        // The same log with its rows in random order: the engine's path for logs that are not time ordered.
        var log = Shuffle(TransitionLogGenerator.Generate(300_000, seed: 7), new Random(7));
        var c = new OracleCase(log, TransitionLogGenerator.StageCount, Goal: 5, TransitionLogGenerator.LossReasonCount, WindowSeconds: 7L * 86_400);

        AssertAgree(DuckDbOracle.Run(c), EngineReport.Analyze(c), c, "shuffled 1M-event log");
    }

    private static TransitionLog Shuffle(TransitionLog log, Random random)
    {
        var order = Enumerable.Range(0, log.Count).ToArray();
        random.Shuffle(order);
        var entities = new int[log.Count];
        var stages = new short[log.Count];
        var timestamps = new long[log.Count];
        var reasons = new short[log.Count];
        for (var i = 0; i < order.Length; i++)
        {
            entities[i] = log.EntityIds[order[i]];
            stages[i] = log.Stages[order[i]];
            timestamps[i] = log.Timestamps[order[i]];
            reasons[i] = log.LossReasons[order[i]];
        }

        return TransitionLog.Create(entities, stages, timestamps, reasons);
    }

    private static void AssertAgree(OracleResult duckDb, OracleResult engine, OracleCase c, string name)
    {
        var difference = ResultDiff.First(duckDb, engine);
        if (difference is null)
        {
            return;
        }

        // Shrink only logs small enough to re-run a few hundred times.
        var shown = c.Log.Count <= 2_000 ? Shrinker.Shrink(c, difference) : (c, difference);
        Assert.Fail(
            $"{name}: the engine differs from DuckDB (expected = DuckDB, actual = engine): {difference}." +
            (c.Log.Count <= 2_000 ? $"{Environment.NewLine}Shrunk: {shown.Item2}; {Shrinker.Print(shown.Item1)}" : $" {c.Describe()}"));
    }
}
