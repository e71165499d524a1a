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
        var log = Log(
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
    }

    private static long[] EngineReached(OracleCase c, AnchorMode anchor = AnchorMode.First, StepOrder order = StepOrder.Ordered) =>
        [.. EngineReport.Analyzer(c, anchor: anchor, order: order).Analyze(c.Log).Reached];

    private static void AssertReached(long[] duckDb, long[] engine, OracleCase c, string name) =>
        Assert.True(
            duckDb.AsSpan().SequenceEqual(engine),
            $"{name}: Reached differs (DuckDB [{string.Join(", ", duckDb)}], engine [{string.Join(", ", engine)}]); {Shrinker.Print(c)}");

    private static TransitionLog Log(params (int Entity, int Stage, long Ts)[] rows)
    {
        var builder = new TransitionLogBuilder(rows.Length);
        foreach (var (entity, stage, ts) in rows)
        {
            builder.Add(entity, stage, ts);
        }

        return builder.Build();
    }
}
