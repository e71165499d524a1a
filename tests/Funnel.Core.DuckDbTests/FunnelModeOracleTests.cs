using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// Every funnel mode of docs/bulk.md (rules 8-13) in DuckDB at once — anchors, strict and unordered order, exclusions,
/// optional steps, per-step windows and time to convert with its histograms — by attempts.sql and counted.sql. Pinned
/// first to the single-mode reach files (which were written apart) and to sales logs worked out by hand from the rules
/// and docs/metrics.md's examples; then the engine must give DuckDB's numbers on generated logs in the hard shapes
/// (ties, shuffled rows, losses first, repeated entries, string keys), batched in one database per test.
/// FUNNEL_ORACLE_SEED replays a seed.
/// </summary>
public sealed class FunnelModeOracleTests
{
    private const long Hour = 3_600;

    [Fact]
    public void Attempts_DefaultAnchorsAndStrict_EqualTheSingleModeReachFiles()
    {
        // attempts.sql does every mode in one recursion; reached.sql, reached_step_windows.sql, reached_anchor.sql and
        // reached_strict.sql each do one, another way. Where both apply they must agree.
        var seed = RandomLogs.Seed + 4;
        var plain = RandomLogs.Generate(seed, 200);
        var noStepWindows = plain.Where(c => c.StepWindows is null).ToArray();
        OracleCase[] variants =
        [
            .. plain.Select(c => c with { Modes = new OracleModes() }),
            .. noStepWindows.Select(c => c with { Modes = new OracleModes(AnchorMode.Latest) }),
            .. noStepWindows.Select(c => c with { Modes = new OracleModes(AnchorMode.Best) }),
            .. noStepWindows.Select(c => c with { Modes = new OracleModes(Order: StepOrder.Strict) }),
        ];

        var all = DuckDbOracle.RunFunnelModes(variants);
        var first = DuckDbOracle.Run(plain);
        var anchors = DuckDbOracle.RunModes(noStepWindows, "reached_anchor", "latest", "best");
        var strict = DuckDbOracle.RunModes(noStepWindows, "reached_strict", "strict")["strict"];

        long[][] expected = [.. first.Select(r => r.Reached), .. anchors["latest"], .. anchors["best"], .. strict];
        for (var i = 0; i < variants.Length; i++)
        {
            Assert.True(
                expected[i].AsSpan().SequenceEqual(all[i].Reached),
                $"seed {seed}, variant {i}: single-mode file [{string.Join(", ", expected[i])}], attempts.sql [{string.Join(", ", all[i].Reached)}]; {Shrinker.Print(variants[i])}");
            Assert.Equal(0, all[i].Excluded);
        }
    }

    [Fact]
    public void Strict_HandWorkedLogsWithAnchorsAndStepWindows_MatchRules8And9()
    {
        // n = 3 (a b c = 0 1 2), goal 2, one loss reason, window 1000, step c within 2 s of b. Rows as logged:
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 5), (0, 0, 5, 0), (0, 2, 6),                  // a loss in b's second, which becomes interior: 2
            (1, 0, 0), (1, 1, 1), (1, 0, 2), (1, 0, 3), (1, 1, 4), (1, 2, 5), // from 0 the repeats of a break it (2); from 3: 3
            (2, 0, 0), (2, 1, 1), (2, 2, 5), (2, 0, 10), (2, 1, 11), (2, 2, 12), // c 4 s after b is too late (2); from 10: 3
            (3, 0, 0), (3, 1, 3), (3, 0, 100), (3, 1, 101));                 // two attempts reach b: Best takes the earliest
        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 1, WindowSeconds: 1_000, StepWindows: [long.MaxValue, 2]);
        OracleCase[] cases = [.. Enum.GetValues<AnchorMode>().Select(a => c with { Modes = new OracleModes(a, StepOrder.Strict) })];

        var results = AssertEngineAgrees(cases, "rules 8 and 9");

        Assert.Equal([4L, 4L, 0L], results[0].Reached);   // First: 2, 2, 2, 2
        Assert.Equal([4L, 4L, 2L], results[1].Reached);   // Latest: 2, 3 (from 3), 3 (from 10), 2 (from 100)
        Assert.Equal([4L, 4L, 2L], results[2].Reached);   // Best: the same levels
        // b from the anchor: Latest 5, 1, 1, 1; Best 5, 1, 1 and 3 (lead 3's attempts tie at 2 steps: the one from 0).
        Assert.Equal(8, results[1].Of(1, "anchor").Total);
        Assert.Equal(10, results[2].Of(1, "anchor").Total);
    }

    [Fact]
    public void Unordered_HandWorkedLogs_MatchRule10()
    {
        // n = 4, goal 3, window 100. Rows as logged (entity, stage, ts):
        var log = HandLog.Of(
            (0, 1, 0), (0, 3, 5), (0, 2, 9),                    // rule 10: 3 steps
            (1, 1, 0), (1, 1, 4), (1, 2, 5_000),                // rule 10: 1 step (stage 2 is past the window)
            (2, 0, 10), (2, 2, 10), (2, 1, 10),                 // three stages in one second, logged out of order: 3
            (3, 0, 0), (3, 1, 50), (3, 2, 120), (3, 3, 130));   // First 2, Latest 1, Best 3 (from 50: 1, 2, 3)
        var c = new OracleCase(log, StageCount: 4, Goal: 3, ReasonCount: 0, WindowSeconds: 100);
        OracleCase[] cases = [.. Enum.GetValues<AnchorMode>().Select(a => c with { Modes = new OracleModes(a, StepOrder.Unordered) })];

        var results = AssertEngineAgrees(cases, "rule 10");

        Assert.Equal([4L, 3L, 2L, 0L], results[0].Reached);     // First: 3, 1, 3, 2
        Assert.Equal([4L, 1L, 1L, 0L], results[1].Reached);     // Latest: from 9, 5000, 10, 130: 1, 1, 3, 1
        Assert.Equal([4L, 3L, 3L, 0L], results[2].Reached);     // Best: 3, 1, 3, 3
        // Best: "2 steps" at 5 (e0), 0 (e2), 120 - 50 (e3); "3 steps" at 9, 0, 80 from the anchor, 4, 0, 10 from 2 steps.
        // Three values: 3 bins, the smallest ladder width w with min + 3 w > max (30 s for max 70 or 80, 5 s for 10).
        Assert.Equal("n=3 total=75 median=5/5 interpolated=5 p90=70 bins [0, 30): 2, [30, 60): 0, [60, 90): 1", results[2].Of(1, "anchor").ToString());
        Assert.Equal("n=3 total=89 median=9/9 interpolated=9 p90=80 bins [0, 30): 2, [30, 60): 0, [60, 90): 1", results[2].Of(2, "anchor").ToString());
        Assert.Equal("n=3 total=14 median=4/4 interpolated=4 p90=10 bins [0, 5): 2, [5, 10): 0, [10, 15): 1", results[2].Of(2, "previous").ToString());
    }

    [Fact]
    public void Exclusions_HandWorkedSalesLog_MatchRule11()
    {
        // Stages 0 lead, 1 qualified, 2 proposal, 3 contract; loss reasons 0 competitor, 1 budget; window 1000 s.
        // Lost to a competitor between qualification and proposal: FunnelExclusion.Loss(1, 2, "0").
        var lostToCompetitor = HandLog.Of(
            (0, 0, 0), (0, 1, 10), (0, 0, 20, 0), (0, 2, 30),                         // rule 11: dropped
            (1, 0, 0), (1, 1, 10), (1, 0, 30, 0), (1, 2, 30),                         // rule 11: same second as the proposal: kept (3)
            (2, 0, 0), (2, 1, 10), (2, 0, 20, 1), (2, 2, 30),                         // lost for budget, not to a competitor: kept (3)
            (3, 0, 0), (3, 1, 10), (3, 0, 2_000, 0),                                  // never proposed, the loss is past the window: kept (2)
            (4, 0, 0), (4, 1, 10), (4, 0, 500, 0),                                    // never proposed, lost within the window: dropped
            (5, 0, 0), (5, 0, 5, 0), (5, 1, 10), (5, 2, 30),                          // lost before qualification: kept (3)
            (6, 0, 0), (6, 1, 10), (6, 0, 20, 0), (6, 0, 100), (6, 1, 110), (6, 2, 120), // a clean second try: First dropped, Best 3
            (7, 1, 0), (7, 0, 1, 0));                                                 // no lead stage: takes no part
        // A re-entry into "lead" between qualification and contract: FunnelExclusion.Stage("0", 1, 3).
        var reentered = HandLog.Of(
            (0, 0, 0), (0, 1, 10), (0, 0, 20), (0, 2, 30), (0, 3, 40),               // dropped
            (1, 0, 0), (1, 1, 10), (1, 2, 30), (1, 3, 40), (1, 0, 50),               // after the contract: kept (4)
            (2, 0, 0), (2, 0, 10), (2, 1, 10), (2, 2, 20));                          // in the second of qualification: kept (3)
        var sales = new OracleCase(lostToCompetitor, StageCount: 4, Goal: 3, ReasonCount: 2, WindowSeconds: 1_000);
        OracleCase[] cases =
        [
            sales with { Modes = new OracleModes(Exclusions: [FunnelExclusion.Loss(1, 2, "0")]) },
            sales with { Modes = new OracleModes(AnchorMode.Best, Exclusions: [FunnelExclusion.Loss(1, 2, "0")]) },
            sales with { Modes = new OracleModes(AnchorMode.Latest, Exclusions: [FunnelExclusion.Loss(1, 2, "0")]) },
            sales with { Log = reentered, Modes = new OracleModes(Exclusions: [FunnelExclusion.Stage("0", 1, 3)]) },
        ];

        var results = AssertEngineAgrees(cases, "rule 11");

        AssertReached(results[0], [4L, 4L, 3L, 0L], 3);   // 0, 4, 6 dropped
        AssertReached(results[1], [5L, 5L, 4L, 0L], 2);   // 6 counts its try from 100
        AssertReached(results[2], [5L, 5L, 4L, 0L], 2);   // Latest: 6 anchors at 100 too
        AssertReached(results[3], [2L, 2L, 2L, 1L], 1);
        // The proposal's time to convert counts only the leads kept (1, 2, 5): 30 s each, one bin 1 s wide (30 + 3 > 30).
        Assert.Equal("n=3 total=90 median=30/30 interpolated=30 p90=30 bins [30, 31): 3", results[0].Of(2, "anchor").ToString());
    }

    [Fact]
    public void OptionalSteps_HandWorkedSalesLog_MatchRule12()
    {
        // Stages 0 lead, 1 qualified, 2 proposal (optional), 3 contract; window 1000 s.
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 10), (0, 3, 20),                            // rule 12: reached 0, 1 and 3, not 2
            (1, 0, 0), (1, 1, 10), (1, 2, 15), (1, 3, 20),                // every step
            (2, 0, 0), (2, 2, 5), (2, 1, 10), (2, 3, 20),                 // the proposal came before qualification: 0, 1, 3
            (3, 0, 0), (3, 1, 10), (3, 2, 15),                            // 0, 1, 2
            (4, 0, 0), (4, 1, 10), (4, 3, 20), (4, 2, 30), (4, 3, 40));   // 3 first without 2 (T_3 = 20), 2 only later (T_2 = 30)
        var c = new OracleCase(log, StageCount: 4, Goal: 3, ReasonCount: 0, WindowSeconds: 1_000);
        OracleCase[] cases =
        [
            c with { Modes = new OracleModes(OptionalSteps: [2]) },
            c with { Modes = new OracleModes(OptionalSteps: [2]), StepWindows = [long.MaxValue, long.MaxValue, 6] },   // contract within 6 s of the step before it
            c with { Modes = new OracleModes(Order: StepOrder.Strict, OptionalSteps: [2]) },
        ];

        var results = AssertEngineAgrees(cases, "rule 12");

        Assert.Equal([5L, 5L, 3L, 4L], results[0].Reached);
        // Contract from the previous step: 10 (from qualification: 2 skipped), 5, 10, and 10 for lead 4, whose proposal
        // (T_2 = 30) came after its contract's reach time (T_3 = 20) and is passed over.
        Assert.Equal("n=4 total=35 median=10/10 interpolated=10 p90=10 bins [5, 10): 1, [10, 15): 3", results[0].Of(3, "previous").ToString());
        Assert.Equal("n=3 total=60 median=15/15 interpolated=15 p90=30 bins [15, 30): 2, [30, 45): 1", results[0].Of(2, "anchor").ToString());
        // W_3 = 6 s from the previous MATCHED step: only lead 1 (20 - 15) passes; 0 and 2 (20 - 10) and 4 (20 - 10,
        // 40 - 30) fail.
        Assert.Equal([5L, 5L, 3L, 1L], results[1].Reached);
        // Strict: lead 2's early proposal breaks lead -> qualification; lead 4 reaches the contract at 20 skipping the
        // proposal, whose entry at 30 cannot come after qualification at 10 with the contract at 20 between them.
        Assert.Equal([5L, 4L, 2L, 3L], results[2].Reached);
    }

    [Fact]
    public void FunnelModes_DocsWorkedExampleWithStringKeys_MatchDocsMetrics()
    {
        // docs/metrics.md, "A 3-lead worked example per mode": contact, qualification, proposal, contract (goal);
        // loss reason 0 competitor; no window; hours. The leads are named, and interned as an application would.
        var (log, keys) = HandLog.Keyed(
            ("Ann", 0, 0), ("Ann", 1, 1 * Hour), ("Ann", 2, 2 * Hour), ("Ann", 2, 3 * Hour), ("Ann", 3, 4 * Hour),
            ("Bob", 0, 0), ("Bob", 0, 1 * Hour, 0), ("Bob", 0, 10 * Hour), ("Bob", 1, 11 * Hour), ("Bob", 2, 13 * Hour),
            ("Cid", 0, 0), ("Cid", 2, 2 * Hour), ("Cid", 1, 3 * Hour), ("Cid", 3, 5 * Hour));
        var c = new OracleCase(log, StageCount: 4, Goal: 3, ReasonCount: 1, WindowSeconds: long.MaxValue, RowKeys: keys);
        var competitor = FunnelExclusion.Loss(0, 1, "0");
        (OracleModes Modes, long[] Reached, long Excluded)[] table =
        [
            (new OracleModes(), [3, 3, 2, 1], 0),
            (new OracleModes(Order: StepOrder.Strict), [3, 1, 1, 0], 0),
            (new OracleModes(AnchorMode.Best, StepOrder.Strict), [3, 2, 2, 0], 0),
            (new OracleModes(Order: StepOrder.Unordered), [3, 3, 3, 2], 0),
            (new OracleModes(Exclusions: [competitor]), [2, 2, 1, 1], 1),
            (new OracleModes(AnchorMode.Best, Exclusions: [competitor]), [3, 3, 2, 1], 0),
            (new OracleModes(OptionalSteps: [1]), [3, 3, 3, 2], 0),
        ];

        var results = AssertEngineAgrees([.. table.Select(row => c with { Modes = row.Modes })], "docs/metrics.md worked example");

        for (var i = 0; i < table.Length; i++)
        {
            AssertReached(results[i], table[i].Reached, table[i].Excluded);
        }

        // "Time to convert": the qualification took 1 h, 11 h and 3 h from the first contact, the proposal 2 h (Ann)
        // and 13 h (Bob): lower median 2 h, interpolated 7 h 30 min.
        Assert.Equal(15 * Hour, results[0].Of(1, "anchor").Total);
        Assert.Equal((2 * Hour, 7.5 * Hour), (results[0].Of(2, "anchor").LowerMedian, results[0].Of(2, "anchor").InterpolatedMedian));
    }

    [Fact]
    public void StringKeys_ThatDifferInCaseSpacesZerosOrNormalization_AreDifferentLeads()
    {
        // docs/bulk.md, "Keys": exact strings. Eight leads, each entering stage 0; the second of each pair also stage 1
        // (under the Best anchor, with time to convert): merging any pair would give fewer than 8 leads at stage 0.
        string[] keys = ["Ann", "ann", "Ann ", " Ann", "007", "7", "Zo\u00EB", "Zoe\u0308", "O\"Brien, Pat", "O'Brien, Pat"];
        var (log, rowKeys) = HandLog.Keyed([.. keys.SelectMany((k, i) => i % 2 == 0
            ? new HandLog.KeyedRow[] { (k, 0, i) }
            : [(k, 0, i), (k, 1, i + 5)])]);
        var c = new OracleCase(log, StageCount: 2, Goal: 1, ReasonCount: 0, WindowSeconds: 60, RowKeys: rowKeys, Modes: new OracleModes(AnchorMode.Best));

        var results = AssertEngineAgrees([c], "string keys");

        AssertReached(results[0], [10L, 5L], 0);
        Assert.Equal(25, results[0].Of(1, "anchor").Total);
    }

    [Fact]
    public void ConversionTimes_HandWorkedDurations_MatchTheSummaryAndBinRules()
    {
        // Steps 0 -> 1 only; the durations from the anchor are the stage-1 times. Window unlimited.
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 0),
            (1, 0, 0), (1, 1, 40),
            (2, 0, 0), (2, 1, 7_200),
            (3, 0, 0), (3, 1, 3 * 86_400),
            (4, 0, 0), (4, 1, 2 * 365 * 86_400));
        // Ten leads converting after 1, 2, ..., 10 s, logged in reverse.
        var ten = HandLog.Of([.. Enumerable.Range(1, 10).Reverse().SelectMany(i => new HandLog.Row[] { (i, 0, 1_000), (i, 1, 1_000 + i) })]);
        var c = new OracleCase(log, StageCount: 2, Goal: 1, ReasonCount: 0, WindowSeconds: long.MaxValue);
        OracleCase[] cases =
        [
            // n = 5: b = ceil(log2 5) + 1 = 4 bins; 365 d * 4 > 2 years, so the width is 365 d: [0, 365 d), [365 d, 730 d), [730 d, 1095 d).
            c with { Modes = new OracleModes() },
            // Explicit edges 60 s and 1 d: below the first edge (two values), [60, 86400) and [86400, inf).
            c with { Modes = new OracleModes(Bins: ConversionTimeBins.Edges([TimeSpan.FromSeconds(60), TimeSpan.FromDays(1)])) },
            // Edges starting at 0: no bin below; an empty bin in the middle is kept.
            c with { Modes = new OracleModes(Bins: ConversionTimeBins.Edges([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)])) },
            // n = 10: median elements 4 and 5 (0-based), p90 element ceil(9) - 1 = 8; b = ceil(log2 10) + 1 = 5 bins, 5 s wide (1 + 5 * 5 > 10).
            c with { Log = ten, Modes = new OracleModes() },
        ];

        var results = AssertEngineAgrees(cases, "time to convert");

        Assert.Equal("[0, 31536000): 4, [31536000, 63072000): 0, [63072000, 94608000): 1", string.Join(", ", results[0].Of(1, "anchor").Bins));
        Assert.Equal("(-∞, 60): 2, [60, 86400): 1, [86400, ∞): 2", string.Join(", ", results[1].Of(1, "anchor").Bins));
        Assert.Equal("[0, 1): 1, [1, 2): 0, [2, ∞): 4", string.Join(", ", results[2].Of(1, "anchor").Bins));
        Assert.Equal(86_400 * 2 * 365, results[0].Of(1, "anchor").P90);   // nearest rank: element ceil(4.5) - 1 = 4
        Assert.Equal("n=10 total=55 median=5/6 interpolated=5.5 p90=9 bins [0, 5): 4, [5, 10): 5, [10, 15): 1", results[3].Of(1, "previous").ToString());
    }

    [Fact]
    public void Ordered_GeneratedLogsWithModes_EngineAgreesWithDuckDb()
    {
        // Anchors, per-step windows, optional steps, exclusions and bins drawn per log; a third with string keys.
        var results = AssertGeneratedAgree(RandomLogs.Seed + 5, StepOrder.Ordered);

        Assert.Contains(results, r => r.Result.Excluded > 0);
        Assert.Contains(results, r => r.Case.Modes!.Optional.Any(s => r.Result.Reached[s] < r.Result.Reached[Math.Min(s + 1, r.Case.StageCount - 1)]));
    }

    [Fact]
    public void Strict_GeneratedLogsWithModes_EngineAgreesWithDuckDb()
    {
        var results = AssertGeneratedAgree(RandomLogs.Seed + 6, StepOrder.Strict);

        Assert.Contains(results, r => r.Result.Excluded > 0);
        Assert.Contains(results, r => r.Case.Modes!.Anchor != AnchorMode.First && r.Case.StepWindows is not null && r.Result.Reached.Skip(1).Any(n => n > 0));
    }

    [Fact]
    public void Unordered_GeneratedLogsWithModes_EngineAgreesWithDuckDb()
    {
        var results = AssertGeneratedAgree(RandomLogs.Seed + 7, StepOrder.Unordered);

        // Unordered reaches deeper than ordered somewhere: a lead that took the stages out of order.
        var ordered = DuckDbOracle.Run([.. results.Select(r => r.Case with { Modes = null })]);
        Assert.Contains(results.Select((r, i) => r.Result.Reached.Zip(ordered[i].Reached).Any(p => p.First > p.Second)), d => d);
    }

    // Generates 240 logs with modes of the given order (a third keyed by strings) and holds the engine to DuckDB.
    private static (OracleCase Case, ModeResult Result)[] AssertGeneratedAgree(int seed, StepOrder order)
    {
        var random = new Random(seed);
        var cases = RandomLogs.Generate(seed, 240)
            .Select((c, i) => RandomLogs.WithModes(i % 3 == 0 ? RandomLogs.WithStringKeys(c) : c, random, order))
            .ToArray();
        return [.. cases.Zip(AssertEngineAgrees(cases, $"seed {seed}"))];
    }

    // Every number the modes decide, DuckDB's against the engine's (every core and one); a difference shrinks the log.
    private static ModeResult[] AssertEngineAgrees(OracleCase[] cases, string name)
    {
        var expected = DuckDbOracle.RunFunnelModes(cases);
        for (var i = 0; i < cases.Length; i++)
        {
            foreach (var cores in (int[])[-1, 1])
            {
                var difference = expected[i].FirstDifference(Engine(cases[i], cores));
                if (difference is not null)
                {
                    var (shrunk, shown) = Shrinker.Shrink(cases[i], difference, c => DuckDbOracle.RunFunnelModes([c])[0].FirstDifference(Engine(c, cores)));
                    Assert.Fail($"{name}, log {i}, cores {cores}: the engine differs from DuckDB: {difference}.{Environment.NewLine}Shrunk: {shown}; {Shrinker.Print(shrunk)}");
                }
            }
        }

        return expected;
    }

    private static void AssertReached(ModeResult result, long[] reached, long excluded)
    {
        Assert.Equal(reached, result.Reached);
        Assert.Equal(excluded, result.Excluded);
    }

    private static ModeResult Engine(OracleCase c, int cores) => ModeResult.Of(EngineReport.Analyzer(c, cores).Analyze(c.Log));
}
