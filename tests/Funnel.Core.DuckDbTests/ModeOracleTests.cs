using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The funnel modes of docs/bulk.md (rules 8-13) in DuckDB: each mode file is pinned to logs worked out by hand from
/// the rules, then the engine with that option must give DuckDB's numbers on generated logs (batched in one
/// database). FUNNEL_ORACLE_SEED replays a seed.
/// </summary>
public sealed class ModeOracleTests
{
    [Fact]
    public void ReachedAnchor_HandWorkedLogs_MatchRule8()
    {
        // n = 3, goal 2, window 1000. Rows as logged (entity, stage, ts):
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 10), (0, 0, 50_000), (0, 1, 50_010), (0, 2, 50_020), // rule 8's example: First 2, Latest 3, Best 3
            (1, 0, 0), (1, 1, 5), (1, 2, 6), (1, 0, 100),                          // came back to 0 and stopped: First 3, Latest 1, Best 3
            (2, 1, 0), (2, 2, 1),                                                  // no stage 0: takes no part
            (3, 2, 7), (3, 1, 7), (3, 0, 7), (3, 0, 3));                           // ties logged backwards, anchors 3 and 7: 3 from each
        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 0, WindowSeconds: 1_000);

        var modes = DuckDbOracle.RunModes([c], "reached_anchor", "latest", "best");

        Assert.Equal([3L, 2L, 2L], modes["latest"][0]);   // e0 3, e1 1, e3 3
        Assert.Equal([3L, 3L, 3L], modes["best"][0]);     // every entity's deepest attempt reaches the goal
        Assert.Equal([3L, 3L, 2L], DuckDbOracle.Run(c).Reached);  // First, for contrast: e0 2, e1 3, e3 3
        Assert.Equal(modes["latest"][0], EngineReached(c, AnchorMode.Latest));
        Assert.Equal(modes["best"][0], EngineReached(c, AnchorMode.Best));
    }

    [Fact]
    public void ReachedAnchor_GeneratedLogs_EngineAgreesWithDuckDb()
    {
        var seed = RandomLogs.Seed;
        var cases = RandomLogs.Generate(seed, 300).Where(c => c.StepWindows is null).ToArray();

        var modes = DuckDbOracle.RunModes(cases, "reached_anchor", "latest", "best");

        for (var i = 0; i < cases.Length; i++)
        {
            AssertReached(modes["latest"][i], EngineReached(cases[i], AnchorMode.Latest), cases[i], $"seed {seed}, log {i}, Latest");
            AssertReached(modes["best"][i], EngineReached(cases[i], AnchorMode.Best), cases[i], $"seed {seed}, log {i}, Best");
        }

        // The logs exercise the modes: in some, Latest and Best reach differently from First.
        Assert.Contains(cases.Select((c, i) => !modes["latest"][i].AsSpan().SequenceEqual(EngineReached(c))), d => d);
        Assert.Contains(cases.Select((c, i) => !modes["best"][i].AsSpan().SequenceEqual(EngineReached(c))), d => d);
    }

    [Fact]
    public void ReachedStrict_HandWorkedLogs_MatchRule9()
    {
        // n = 3 (stages a b c = 0 1 2), goal 2, one loss reason, window 1000. Rows as logged (entity, stage, ts[, reason]):
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 1), (0, 0, 2), (0, 2, 3),             // rule 9: the repeat of 0 breaks 1 -> 2: 2 (ordered 3)
            (1, 0, 0), (1, 1, 1), (1, 1, 2), (1, 2, 3),             // rule 9: the repeat of 1 breaks it too: 2
            (2, 0, 0), (2, 1, 5), (2, 2, 5), (2, 1, 5),             // rule 9: ties, the extra 1 goes before: 3
            (3, 0, 0), (3, 0, 1, 0), (3, 1, 2),                     // rule 9: a loss in between: 1 (ordered 2)
            (4, 0, 0), (4, 2, 0), (4, 1, 4), (4, 2, 4), (4, 0, 4),  // extra events in the first and last second: 3
            (5, 0, 0), (5, 1, 3), (5, 1, 3), (5, 2, 6));            // second 3 holds two entries into 1: 2 (ordered 3)
        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 1, WindowSeconds: 1_000);

        var strict = DuckDbOracle.RunModes([c], "reached_strict", "strict")["strict"][0];

        Assert.Equal([6L, 5L, 2L], strict);                         // levels 2, 2, 3, 1, 3, 2
        Assert.Equal([6L, 6L, 5L], DuckDbOracle.Run(c).Reached);    // ordered, for contrast: 3, 3, 3, 2, 3, 3
        Assert.Equal(strict, EngineReached(c, order: StepOrder.Strict));
    }

    [Fact]
    public void ReachedStrict_GeneratedLogs_EngineAgreesWithDuckDb()
    {
        var seed = RandomLogs.Seed;
        var cases = RandomLogs.Generate(seed + 2, 300).Where(c => c.StepWindows is null).ToArray();

        var strict = DuckDbOracle.RunModes(cases, "reached_strict", "strict")["strict"];

        for (var i = 0; i < cases.Length; i++)
        {
            AssertReached(strict[i], EngineReached(cases[i], order: StepOrder.Strict), cases[i], $"seed {seed} + 2, log {i}, Strict");
        }

        // The logs exercise the mode: in some, strict order reaches less than the ordered funnel.
        Assert.Contains(cases.Select((c, i) => !strict[i].AsSpan().SequenceEqual(EngineReached(c))), d => d);
    }

    [Fact]
    public void TimeInStageMedian_HandWorkedLog_MatchesRule13()
    {
        // n = 3, goal 2, one loss reason, window 1000. Rows as logged (entity, stage, ts[, reason]):
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 3_600), (0, 2, 3_610),                    // stays: 0 3600 s, 1 10 s
            (1, 0, 0), (1, 1, 7_200), (1, 2, 7_201),                    // stays: 0 7200 s, 1 1 s
            (2, 1, 0), (2, 2, 100), (2, 0, 105, 0), (2, 0, 110));       // stays: 1 100 s, 2 5 s, after the loss 5 s
        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 1, WindowSeconds: 1_000);

        var medians = DuckDbOracle.RunInterpolatedMedians([c])[0];

        // Stage 0 {3600, 7200}: rule 13's 5400 (the lower median is 3600); stage 1 {1, 10, 100}: 10; 2 {5}; lost {5}.
        Assert.Equal([5_400.0, 10.0, 5.0, 5.0], medians);
        Assert.Equal(3_600, DuckDbOracle.Run(c).Medians[0]);
        Assert.Equal(medians, EngineInterpolatedMedians(c));
    }

    [Fact]
    public void TimeInStageMedian_GeneratedLogs_EngineAgreesWithDuckDb()
    {
        var seed = RandomLogs.Seed;
        var cases = RandomLogs.Generate(seed + 3, 300);

        var medians = DuckDbOracle.RunInterpolatedMedians(cases);

        for (var i = 0; i < cases.Length; i++)
        {
            var engine = EngineInterpolatedMedians(cases[i]);
            Assert.True(
                medians[i].AsSpan().SequenceEqual(engine),
                $"seed {seed} + 3, log {i}, Interpolated: medians differ (DuckDB [{string.Join(", ", medians[i])}], engine [{string.Join(", ", engine)}]); {Shrinker.Print(cases[i])}");
        }

        // The logs exercise the mode: in some row the interpolated median is not the lower one.
        Assert.Contains(cases.Select((c, i) => medians[i].Where((m, row) => m != EngineReport.Analyze(c).Medians[row]).Any()), d => d);
    }

    private static double[] EngineInterpolatedMedians(OracleCase c)
    {
        var report = EngineReport.Analyzer(c, median: MedianKind.Interpolated).Analyze(c.Log);
        return [.. report.TimeInStage.Append(report.TimeAfterLoss).Select(report.MedianSecondsOf)];
    }

    private static long[] EngineReached(OracleCase c, AnchorMode anchor = AnchorMode.First, StepOrder order = StepOrder.Ordered) =>
        [.. EngineReport.Analyzer(c with { Modes = new OracleModes(anchor, order) }).Analyze(c.Log).Reached];

    private static void AssertReached(long[] duckDb, long[] engine, OracleCase c, string name) =>
        Assert.True(
            duckDb.AsSpan().SequenceEqual(engine),
            $"{name}: Reached differs (DuckDB [{string.Join(", ", duckDb)}], engine [{string.Join(", ", engine)}]); {Shrinker.Print(c)}");
}
