using Funnel.Core.Bulk;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The oracle on logs small enough to work out by hand from SEMANTICS.md; the expected numbers are written out with
/// the reasoning beside them. If these hold, the SQL encodes the rules, and the engine is then checked against it
/// (EngineAgreementTests). The engine is held to the same hand-worked numbers.
/// </summary>
public sealed class DuckDbOracleTests
{
    private const long Year2100 = 4_102_444_800;   // 2100-01-01T00:00:00Z: 130 years after 0
    private const long Year2300 = 10_413_792_000;  // 2300-01-01T00:00:00Z

    [Fact]
    public void Run_TiesAtSeveralStages_MatchInAnyOrder()
    {
        // n = 4, goal 3, no loss reasons, window 100. Rows as logged (entity, stage, ts):
        var log = HandLog.Of(
            (0, 1, 10), (0, 0, 10),                          // e0: stage 1 logged before stage 0, same second -> level 2
            (1, 1, 10), (1, 0, 10), (1, 3, 20), (1, 2, 20),  // e1: two tied pairs -> level 4
            (2, 0, 5), (2, 3, 7), (2, 2, 7), (2, 1, 7));     // e2: stages 3, 2, 1 tied at 7, logged backwards -> level 4

        var c = new OracleCase(log, StageCount: 4, Goal: 3, ReasonCount: 0, WindowSeconds: 100);

        // Rule 1 order keeps ties in log order: e0 1,0; e1 1,0,3,2; e2 0,3,2,1.
        AssertResult(new OracleResult(
            Events: 10,
            Entities: 3,
            Reached: [3, 3, 2, 2],
            Transitions: new long[,]
            {
                //  0  1  2  3  L
                { 0, 0, 0, 2, 0 },  // 0 -> 3: e1, e2
                { 2, 0, 0, 0, 0 },  // 1 -> 0: e0, e1
                { 0, 1, 0, 0, 0 },  // 2 -> 1: e2
                { 0, 0, 2, 0, 0 },  // 3 -> 2: e1, e2
                { 0, 0, 0, 0, 0 },
            },
            Stays: [2, 2, 1, 2, 0],
            Totals: [12, 0, 0, 0, 0],      // stage 0: e1 10 s, e2 2 s; every other stay is a tie
            Medians: [2, 0, 0, 0, 0],      // stage 0: sorted [2, 10], element (2-1)/2 = 0
            Losses: new long[4, 0],
            LossesAfterLoss: [],
            LossesAtUnknownStage: [],
            Won: 0,                        // e1 reached stage 3 but ends at stage 2: open
            Lost: 0,
            OpenAt: [1, 1, 1, 0]),         // last events: e0 stage 0, e2 stage 1, e1 stage 2
            c);
    }

    [Fact]
    public void Run_LostFirstLostAfterLostAndEventsAfterGoalOrLoss_CountEveryPair()
    {
        // n = 3, goal 2, reasons 2, window 1000. Loss rows carry a stage column that the rules ignore.
        var log = HandLog.Of(
            (0, 1, 5, 0), (0, 0, 10), (0, 1, 20),                        // e0: lost first (reason 0), then enters
            (1, 0, 0), (1, 1, 10), (1, 0, 20, 1), (1, 2, 30, 0), (1, 2, 40), // e1: lost (1) at 1, lost again (0), reopened at 2
            (2, 0, 0), (2, 1, 5), (2, 2, 8), (2, 1, 9), (2, 0, 12, 1));   // e2: goal, back to 1 after it, lost (1) at 1

        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 2, WindowSeconds: 1000);

        AssertResult(new OracleResult(
            Events: 13,
            Entities: 3,
            Reached: [3, 3, 2],            // e0 anchors at 10 (the loss at 5 is no entry): level 2; e1, e2: level 3
            Transitions: new long[,]
            {
                //  0  1  2  L
                { 0, 3, 0, 0 },            // 0 -> 1: every entity
                { 0, 0, 1, 2 },            // 1 -> 2: e2; 1 -> L: e1, e2
                { 0, 1, 0, 0 },            // 2 -> 1: e2, after the goal
                { 1, 0, 1, 1 },            // L -> 0: e0; L -> 2: e1; L -> L: e1
            },
            Stays: [3, 3, 1, 3],
            Totals: [25, 16, 1, 25],       // 0: 10+10+5; 1: 10+3+3; 2: 1; after a loss: 5+10+10
            Medians: [10, 3, 1, 10],       // sorted [5,10,10] -> 10; [3,3,10] -> 3; [1]; [5,10,10] -> 10
            Losses: new long[,]
            {
                { 0, 0 },
                { 0, 2 },                  // reason 1 after stage 1: e1, e2
                { 0, 0 },
            },
            LossesAfterLoss: [1, 0],       // e1's second loss, reason 0
            LossesAtUnknownStage: [1, 0],  // e0's first event, reason 0
            Won: 1,                        // e1 ends at stage 2 (reopened after the losses)
            Lost: 1,                       // e2 ends with a loss
            OpenAt: [0, 1, 0]),            // e0 ends at stage 1
            c);
    }

    [Fact]
    public void Run_UnsortedRowsAndEntityWithoutStageZero_OrderByTimeThenPosition()
    {
        // n = 3, goal 2, one reason, window 50. Rows interleaved and out of time order.
        var log = HandLog.Of(
            (1, 2, 100),
            (0, 1, 30),
            (0, 0, 10),
            (2, 1, 5),                     // e2 never enters stage 0
            (1, 0, 50),
            (2, 2, 6),
            (0, 2, 20),
            (3, 0, 7),                     // e3: a single event
            (2, 0, 6, 0));                 // e2: a loss tied with its stage-2 entry, logged after it

        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 1, WindowSeconds: 50);

        // Order: e0 0@10, 2@20, 1@30; e1 0@50, 2@100; e2 1@5, 2@6, L@6; e3 0@7.
        AssertResult(new OracleResult(
            Events: 9,
            Entities: 4,
            Reached: [3, 1, 0],            // e0 level 2 (stage 2 at 20 is before stage 1 at 30); e1, e3 level 1; e2 none
            Transitions: new long[,]
            {
                //  0  1  2  L
                { 0, 0, 2, 0 },            // e0, e1
                { 0, 0, 1, 0 },            // e2
                { 0, 1, 0, 1 },            // e0 2 -> 1; e2 2 -> L
                { 0, 0, 0, 0 },
            },
            Stays: [2, 1, 2, 0],
            Totals: [60, 1, 10, 0],        // 0: 10 + 50; 1: 1; 2: 10 + 0
            Medians: [10, 1, 0, 0],        // sorted [10, 50] -> 10; [0, 10] -> 0
            Losses: new long[,] { { 0 }, { 0 }, { 1 } },   // e2's loss follows its stage-2 entry
            LossesAfterLoss: [0],
            LossesAtUnknownStage: [0],
            Won: 1,                        // e1 ends at 2
            Lost: 1,                       // e2
            OpenAt: [1, 1, 0]),            // e3 at 0, e0 at 1
            c);
    }

    [Fact]
    public void Run_WindowEdge_IsInclusiveAndAnchoredAtTheEarliestStageZero()
    {
        // n = 3, goal 2, no reasons, window 100.
        var log = HandLog.Of(
            (0, 0, 1000), (0, 1, 1050), (0, 2, 1100),                  // stage 2 at exactly t0 + W: level 3
            (1, 0, 1000), (1, 1, 1050), (1, 2, 1101),                  // one second late: level 2
            (2, 0, 1000), (2, 0, 1020), (2, 1, 1100), (2, 2, 1110));   // anchored at 1000, not 1020: level 2

        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 0, WindowSeconds: 100);

        AssertResult(new OracleResult(
            Events: 10,
            Entities: 3,
            Reached: [3, 3, 1],
            Transitions: new long[,]
            {
                { 1, 3, 0, 0 },            // e2 0 -> 0; everyone 0 -> 1
                { 0, 0, 3, 0 },
                { 0, 0, 0, 0 },
                { 0, 0, 0, 0 },
            },
            Stays: [4, 3, 0, 0],
            Totals: [200, 111, 0, 0],      // 0: 50+50+20+80; 1: 50+51+10
            Medians: [50, 50, 0, 0],       // sorted [20,50,50,80] -> element 1; [10,50,51] -> element 1
            Losses: new long[3, 0],
            LossesAfterLoss: [],
            LossesAtUnknownStage: [],
            Won: 3,
            Lost: 0,
            OpenAt: [0, 0, 0]),
            c);
    }

    [Fact]
    public void Run_ZeroWindow_MatchesOnlyTheAnchorSecond()
    {
        // n = 3, goal 2, no reasons, window 0.
        var log = HandLog.Of(
            (0, 2, 5), (0, 1, 5), (0, 0, 5),  // all in the anchor's second, logged backwards: level 3
            (1, 0, 5), (1, 1, 6));            // one second later is outside a zero window: level 1

        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 0, WindowSeconds: 0);

        AssertResult(new OracleResult(
            Events: 5,
            Entities: 2,
            Reached: [2, 1, 1],
            Transitions: new long[,]
            {
                { 0, 1, 0, 0 },            // e1
                { 1, 0, 0, 0 },            // e0 1 -> 0
                { 0, 1, 0, 0 },            // e0 2 -> 1
                { 0, 0, 0, 0 },
            },
            Stays: [1, 1, 1, 0],
            Totals: [1, 0, 0, 0],
            Medians: [1, 0, 0, 0],
            Losses: new long[3, 0],
            LossesAfterLoss: [],
            LossesAtUnknownStage: [],
            Won: 0,
            Lost: 0,
            OpenAt: [1, 1, 0]),            // e0 ends at 0 (log order among ties), e1 at 1
            c);
    }

    [Fact]
    public void Run_ExtremeTimestamps_AreExact()
    {
        // n = 2, goal 1, one reason, window 130 years (0 .. 2100-01-01).
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, Year2100),                          // a 130-year gap, exactly at the window's edge: level 2
            (1, 0, 0), (1, 0, Year2300, 0), (1, 1, Year2300),     // lost in 2300 after 330 years, re-entered the same second
            (2, 0, Year2300), (2, 1, Year2300));                  // both in 2300: level 2

        var c = new OracleCase(log, StageCount: 2, Goal: 1, ReasonCount: 1, WindowSeconds: Year2100);

        AssertResult(new OracleResult(
            Events: 7,
            Entities: 3,
            Reached: [3, 2],               // e1's stage 1 is 330 years after its anchor
            Transitions: new long[,]
            {
                { 0, 2, 1 },               // e0, e2 0 -> 1; e1 0 -> L
                { 0, 0, 0 },
                { 0, 1, 0 },               // e1 L -> 1
            },
            Stays: [3, 0, 1],
            Totals: [Year2100 + Year2300, 0, 0],
            Medians: [Year2100, 0, 0],     // sorted [0, 130 years, 330 years] -> element 1
            Losses: new long[,] { { 1 }, { 0 } },
            LossesAfterLoss: [0],
            LossesAtUnknownStage: [0],
            Won: 3,
            Lost: 0,
            OpenAt: [0, 0]),
            c);
    }

    [Fact]
    public void Run_StepWindows_TakeTheMatchThatLeavesRoomForTheNextStep()
    {
        // n = 3, goal 2, no reasons, window 100; step 1 unlimited, step 2 (stage 1 to 2) within 5 s (issue 14 rule 7).
        var log = HandLog.Of(
            (0, 0, 0), (0, 1, 10), (0, 1, 20), (0, 2, 24),   // stage 2 is 14 s after the first stage 1, 4 s after the second: level 3
            (1, 0, 0), (1, 1, 10), (1, 2, 16),               // 6 s: level 2
            (2, 0, 0), (2, 1, 10), (2, 2, 15));              // exactly 5 s: level 3
        var c = new OracleCase(log, StageCount: 3, Goal: 2, ReasonCount: 0, WindowSeconds: 100, StepWindows: [long.MaxValue, 5]);

        AssertResult(new OracleResult(
            Events: 10,
            Entities: 3,
            Reached: [3, 3, 2],
            Transitions: new long[,]
            {
                { 0, 3, 0, 0 },
                { 0, 1, 3, 0 },            // e0 1 -> 1
                { 0, 0, 0, 0 },
                { 0, 0, 0, 0 },
            },
            Stays: [3, 4, 0, 0],
            Totals: [30, 25, 0, 0],        // 1: 10 + 4 + 6 + 5
            Medians: [10, 5, 0, 0],        // sorted [4, 5, 6, 10] -> element 1
            Losses: new long[3, 0],
            LossesAfterLoss: [],
            LossesAtUnknownStage: [],
            Won: 3,
            Lost: 0,
            OpenAt: [0, 0, 0]),
            c);
    }

    [Fact]
    public void Run_EmptyLogBesideOthers_CountsNothing()
    {
        var results = DuckDbOracle.Run(
        [
            new OracleCase(TransitionLog.Empty, 2, 1, 1, 10),
            new OracleCase(HandLog.Of((0, 0, 1), (0, 1, 2)), 2, 1, 1, 10),
        ]);

        AssertResult(OracleResult.Zero(2, 1), results[0]);
        Assert.Equal(2, results[1].Events);
        Assert.Equal([1L, 1L], results[1].Reached);
    }

    private static void AssertResult(OracleResult expected, OracleResult actual)
    {
        var difference = ResultDiff.First(expected, actual);
        Assert.True(difference is null, difference);
    }

    // The hand-worked numbers hold for DuckDB and, since they come from the rules, for the engine too.
    private static void AssertResult(OracleResult expected, OracleCase c)
    {
        AssertResult(expected, DuckDbOracle.Run(c));
        var engine = ResultDiff.First(expected, EngineReport.Analyze(c));
        Assert.True(engine is null, $"The engine: {engine}");
    }
}
