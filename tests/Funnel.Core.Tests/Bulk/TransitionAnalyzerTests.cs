using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionAnalyzerTests
{
    /// <summary>A goal inside the generated funnel, so that entities end open, won and lost, and some won past the goal.</summary>
    private const int GeneratedGoal = 3;

    [Fact]
    public void Analyze_HandComputedLog_GivesTheExpectedNumbers()
    {
        // 3 stages (0 lead, 1 proposal, 2 won), 2 reasons, window 100 s.
        var log = new TransitionLogBuilder()
            .Add(7, 0, 1000)            // entity 7 enters 0 (anchor)
            .Add(3, 1, 1005)            // entity 3 starts in stage 1: no anchor
            .Add(7, 1, 1050)            // 7: 0 -> 1, stay 50 in 0, within window: level 2
            .Add(3, 1, 1010, 1)         // 3: lost at 1 with reason 1, stay 5 in 1
            .Add(7, 0, 1060)            // 7: back 1 -> 0, stay 10 in 1
            .Add(7, 2, 1150)            // 7: 0 -> 2, stay 90 in 0; 150 > 100: outside window
            .Add(9, 0, 1200, 0)         // 9: first event is a loss at 0 (reason 0)
            .Add(5, 0, 1300)            // 5: anchor
            .Add(5, 1, 1400)            // 5: stay 100 in 0, exactly at the window edge: level 2
            .Add(5, 2, 1401)            // 5: stay 1 in 1, 101 > 100: not counted
            .Build();

        var report = new TransitionAnalyzer(new FunnelShape(stageCount: 3, goalStage: 2, lossReasonCount: 2), TimeSpan.FromSeconds(100)).Analyze(log);

        Assert.Equal(10, report.EventCount);
        Assert.Equal(4, report.EntityCount);
        Assert.Equal([2L, 2L, 0L], report.Reached.ToArray());
        Assert.Equal(2, report.Transitions[0, 1]);   // 7: 0->1, 5: 0->1
        Assert.Equal(1, report.Transitions[0, 2]);   // 7: 0->2
        Assert.Equal(1, report.Transitions[1, 0]);   // 7: 1->0
        Assert.Equal(1, report.Transitions[1, 2]);   // 5: 1->2
        Assert.Equal(1, report.Transitions[1, report.LostColumn]); // 3: 1->lost
        Assert.Equal(6, report.Transitions.Total);
        Assert.Equal(new StageTimeStatistics(0, 3, 240, 90), report.TimeInStage[0]);   // 50, 90, 100 -> median 90
        Assert.Equal(new StageTimeStatistics(1, 3, 16, 5), report.TimeInStage[1]);     // 5, 10, 1 -> median 5
        Assert.Equal(new StageTimeStatistics(2, 0, 0, 0), report.TimeInStage[2]);
        Assert.Equal(80.0, report.TimeInStage[0].MeanSeconds);
        Assert.Equal(1, report.Losses[1, 1]);        // 3 lost after stage 1
        Assert.Equal(1, report.Losses.Total);
        Assert.Equal([1L, 0L], report.LossesAtUnknownStage.ToArray()); // 9 lost as its first event: no stage known
        Assert.Equal([0L, 0L], report.LossesAfterLoss.ToArray());
        Assert.Equal(0, report.Transitions.GetRow(report.LostRow).ToArray().Sum());
        Assert.Equal((2L, 2L), (report.Won, report.Lost)); // 7 and 5 end in stage 2 (the goal); 3 and 9 end lost
        Assert.Equal([0L, 0L, 0L], report.OpenAt.ToArray());
    }

    [Fact]
    public void Analyze_StageOneLoggedBeforeStageZeroInTheSameSecond_ReachesLevelTwo()
    {
        // Regression: the reach depended on the order of rows that share a timestamp. Entries with equal timestamps
        // match in any order, as in product-analytics tools.
        var log = new TransitionLogBuilder()
            .Add(0, 1, 100).Add(0, 0, 100)             // stage 1 logged first, same second: level 2
            .Add(1, 2, 100).Add(1, 1, 100).Add(1, 0, 100) // all three in reverse, same second: level 3
            .Add(2, 1, 99).Add(2, 0, 100)              // stage 1 a second before the anchor: level 1
            .Build();

        foreach (var pack in new[] { true, false })
        {
            var report = new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(0)) { PackEvents = pack }.Analyze(log);

            Assert.Equal([3L, 2L, 1L], report.Reached.ToArray());
        }
    }

    [Fact]
    public void Analyze_TiesWithTheSameRowsInAnyOrder_GiveTheSameReach()
    {
        // Every permutation of one lead's rows that share a second gives the same reach.
        var rows = new (int Entity, int Stage, long Time, int Reason)[] { (0, 3, 50, -1), (0, 1, 50, -1), (0, 2, 50, -1), (0, 0, 50, -1), (0, 1, 60, 0) };
        var first = new TransitionAnalyzer(new FunnelShape(4, 3, 1), TimeSpan.FromSeconds(10)).Analyze(LogCase.ToLog(rows)).Reached.ToArray();
        foreach (var order in Permutations(Enumerable.Range(0, 4).ToArray()))
        {
            var shuffled = order.Select(i => rows[i]).Append(rows[4]);
            Assert.Equal(first, new TransitionAnalyzer(new FunnelShape(4, 3, 1), TimeSpan.FromSeconds(10)).Analyze(LogCase.ToLog(shuffled)).Reached.ToArray());
        }

        Assert.Equal([1L, 1L, 1L, 1L], first);
    }

    [Fact]
    public void Analyze_LossAfterLossAndPairsAfterALoss_CountInTheLostRow()
    {
        // Regression: a pair whose first event is a loss was counted in the row of the stage the loss row named, and
        // a loss after a loss at that stage. Now a loss is a row of its own.
        var log = new TransitionLogBuilder()
            .Add(0, 0, 0)
            .Add(0, 1, 10, lossReason: 0)  // lost after stage 0 (the row's own stage, 1, is not used)
            .Add(0, 1, 30, lossReason: 1)  // lost again: after a loss
            .Add(0, 1, 100)                // re-entry into stage 1 after the loss
            .Build();

        var report = new TransitionAnalyzer(new FunnelShape(2, 1, 2), TimeSpan.FromSeconds(1000)).Analyze(log);

        Assert.Equal(1, report.Losses[0, 0]);
        Assert.Equal(0, report.Losses[1, 0] + report.Losses[1, 1] + report.Losses[0, 1]);
        Assert.Equal([0L, 1L], report.LossesAfterLoss.ToArray());
        Assert.Equal([0L, 0L], report.LossesAtUnknownStage.ToArray());
        Assert.Equal(1, report.Transitions[0, report.LostColumn]);
        Assert.Equal(1, report.Transitions[report.LostRow, report.LostColumn]);
        Assert.Equal(1, report.Transitions[report.LostRow, 1]);
        Assert.Equal(new StageTimeStatistics(2, 2, 90, 20), report.TimeAfterLoss); // 20 s and 70 s after a loss
        Assert.Equal(new StageTimeStatistics(0, 1, 10, 10), report.TimeInStage[0]);
        Assert.Equal((1L, 0L), (report.Won, report.Lost)); // re-entered stage 1, the goal: won
    }

    [Fact]
    public void Analyze_EventsAfterTheGoal_CountInTheMatrixAndTimeInStage()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(0, 1, 5).Add(0, 2, 15).Add(0, 1, 40).Build();

        var report = new TransitionAnalyzer(new FunnelShape(3, 1, 0), TimeSpan.FromSeconds(1000)).Analyze(log);

        Assert.Equal(1, report.Transitions[1, 2]);
        Assert.Equal(1, report.Transitions[2, 1]);
        Assert.Equal(new StageTimeStatistics(2, 1, 25, 25), report.TimeInStage[2]); // the last stage has a stay too
        Assert.Equal([1L, 1L, 1L], report.Reached.ToArray());
    }

    [Fact]
    public void Analyze_EntriesFarAheadInOneSecondOfAWideFunnel_AreExact()
    {
        // More than 63 stages ahead of the level in one second is beyond the tie mask; the engine resolves those
        // entities exactly. A 100-stage funnel entered in reverse order within one second reaches every stage.
        var builder = new TransitionLogBuilder();
        for (var s = 99; s >= 0; s--)
        {
            builder.Add(0, s, 500);
        }

        builder.Add(1, 0, 500).Add(1, 70, 500).Add(1, 1, 500);
        var log = builder.Build();

        foreach (var dop in new[] { 1, 2 })
        {
            var report = new TransitionAnalyzer(new FunnelShape(100, 99, 0), TimeSpan.FromSeconds(0), dop).Analyze(log);

            Assert.Equal(2, report.Reached[1]);
            Assert.Equal(1, report.Reached[2]);
            Assert.Equal(1, report.Reached[99]);
            ReferenceAnalyzer.AssertEqual(ReferenceAnalyzer.Analyze(log, 100, 99, 0, 0), report);
        }

        var streamed = new TransitionAnalyzer(new FunnelShape(100, 99, 0), TimeSpan.FromSeconds(0)).CreateAccumulator();
        var error = Assert.Throws<NotSupportedException>(() => streamed.Add(log));
        Assert.Contains("Entity 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_PerStepWindows_TakeTheBestMatchNotTheEarliest()
    {
        // Step 2 must follow step 1 within 10 s. Matching stage 1 at its first chance (t = 1) would leave stage 2
        // (t = 105) out of reach; the later entry into stage 1 (t = 100) reaches it. Lead 1 has no such later entry.
        var log = new TransitionLogBuilder()
            .Add(0, 0, 0).Add(0, 1, 1).Add(0, 1, 100).Add(0, 2, 105)
            .Add(1, 0, 0).Add(1, 1, 1).Add(1, 2, 105)
            .Add(2, 0, 0).Add(2, 2, 5).Add(2, 1, 5)   // a tie: stage 1 and 2 in the same second, step windows hold
            .Build();
        var analyzer = new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(1000)) { StepWindows = [null, TimeSpan.FromSeconds(10)] };

        var report = analyzer.Analyze(log);

        Assert.Equal([3L, 3L, 2L], report.Reached.ToArray());
        Assert.Equal([long.MaxValue, 10L], report.StepWindowSeconds.ToArray());
        Assert.Equal([3L, 3L, 3L], new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(1000)).Analyze(log).Reached.ToArray());
        Assert.Equal(report, analyzer.Aggregate(log).ToReport());
    }

    [Fact]
    public void StepWindows_WrongCountNegativeOrFractional_ThrowsAndStreamingIsRefused()
    {
        Assert.Throws<ArgumentException>("StepWindows", () => new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(10)) { StepWindows = [TimeSpan.FromSeconds(1)] });
        Assert.Throws<ArgumentException>("StepWindows", () => new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(10)) { StepWindows = [null, TimeSpan.FromSeconds(-1)] });
        Assert.Throws<ArgumentException>("StepWindows", () => new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(10)) { StepWindows = [null, TimeSpan.FromMilliseconds(1500)] });

        var analyzer = new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(10)) { StepWindows = [null, TimeSpan.FromSeconds(5)] };
        Assert.Throws<NotSupportedException>(() => analyzer.CreateAccumulator());
        Assert.Throws<ArgumentException>("other", () => analyzer.Aggregate(TransitionLog.Empty).Merge(TransitionAggregate.Empty(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void Analyze_LeadOf150000EventsLoopingThroughTheStages_IsCountedExactly()
    {
        // One lead loops 0 -> 1 -> 2 -> 3 -> 4 -> 3 -> 2 -> 1 -> 0 -> ..., two events a second, so every second holds a tie.
        // The kernel is linear (a mask per lead, no search); here only the numbers are checked.
        var cycle = new[] { 0, 1, 2, 3, 4, 3, 2, 1 };
        var builder = new TransitionLogBuilder(150_000);
        for (var i = 0; i < 150_000; i++)
        {
            builder.Add(0, cycle[i % cycle.Length], 1_000 + (i / 2));
        }

        var log = builder.Build();
        var report = new TransitionAnalyzer(new FunnelShape(5, 4, 0), TimeSpan.FromSeconds(3)).Analyze(log);

        Assert.Equal([1L, 1L, 1L, 1L, 1L], report.Reached.ToArray()); // 0@1000, 1@1000, 2@1001, 3@1001, 4@1002
        Assert.Equal(149_999, report.Transitions.Total);
        Assert.Equal(18_750, report.Transitions[0, 1]);
        Assert.Equal(18_750, report.Transitions[4, 3]);
        Assert.Equal([1L, 1L, 1L, 1L, 0L], new TransitionAnalyzer(new FunnelShape(5, 4, 0), TimeSpan.FromSeconds(1)).Analyze(log).Reached.ToArray()); // window 1 s: 4@1002 is out
    }

    [Fact]
    public void Analyze_Outcomes_AreJudgedByEachEntitysLastEventInCanonicalOrder()
    {
        // 4 stages (0 lead, 1 proposal, 2 contract = the goal, 3 onboarding after the goal), 1 loss reason. The log is
        // not time ordered (entity 5), so the engine sorts by (time, log position).
        var events = new (int Entity, int Stage, long Time, int Reason)[]
        {
            (0, 0, 100, -1), (0, 1, 200, 0), (0, 1, 200, -1), // a loss and a re-entry in the same second: the later row is last -> open at 1
            (1, 0, 100, -1), (1, 0, 150, 0), (1, 1, 300, -1), // lost, then back: open at 1
            (2, 0, 100, -1), (2, 1, 200, -1), (2, 2, 300, -1), // enters the goal: won
            (3, 0, 100, -1), (3, 2, 200, -1), (3, 3, 300, -1), // past the goal: won
            (4, 0, 100, -1), (4, 2, 200, -1), (4, 2, 500, 0),  // reached the goal, then lost there: lost
            (5, 0, 100, -1), (5, 1, 50, -1),                   // the proposal row comes later in the log but is earlier: open at 0
            (6, 2, 400, -1), (6, 0, 400, -1),                  // a tie: the later row (stage 0) is last -> open at 0
        };
        var log = LogCase.ToLog(events);

        foreach (var dop in new[] { 1, 3 })
        {
            var report = new TransitionAnalyzer(new FunnelShape(4, 2, 1), TimeSpan.FromSeconds(1000), dop).Analyze(log);

            Assert.Equal(7, report.EntityCount);
            Assert.Equal((2L, 1L), (report.Won, report.Lost));
            Assert.Equal([2L, 2L, 0L, 0L], report.OpenAt.ToArray());
        }

        // Streamed in two chunks (each entity's events in time order, ties in log order), the outcome of an entity
        // whose events straddle the cut is still its last event's.
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.Time).ThenBy(x => x.i).Select(x => x.e).ToArray();
        var accumulator = new TransitionAnalyzer(new FunnelShape(4, 2, 1), TimeSpan.FromSeconds(1000)).CreateAccumulator();
        accumulator.Add(LogCase.ToLog(ordered[..10]));
        var partial = accumulator.ToAggregate().ToReport();
        accumulator.Add(LogCase.ToLog(ordered[10..]));
        var streamed = accumulator.ToAggregate().ToReport();

        Assert.Equal(new TransitionAnalyzer(new FunnelShape(4, 2, 1), TimeSpan.FromSeconds(1000)).Analyze(log), streamed);
        Assert.Equal(partial.EntityCount, partial.Won + partial.Lost + partial.OpenAt.Sum());
    }

    [Fact]
    public void Analyze_EvenNumberOfStays_TakesTheLowerMedian()
    {
        var log = new TransitionLogBuilder()
            .Add(0, 0, 0).Add(0, 1, 10)
            .Add(1, 0, 0).Add(1, 1, 20)
            .Add(2, 0, 0).Add(2, 1, 30)
            .Add(3, 0, 0).Add(3, 1, 40)
            .Build();

        var report = new TransitionAnalyzer(new FunnelShape(2, 1, 0), TimeSpan.FromSeconds(0)).Analyze(log);

        Assert.Equal(20, report.TimeInStage[0].MedianSeconds);
        Assert.Equal([4L, 0L], report.Reached.ToArray()); // window 0: nothing reaches stage 1
    }

    [Fact]
    public void Analyze_EmptyLog_GivesZeros()
    {
        var report = new TransitionAnalyzer(new FunnelShape(3, 2, 2), TimeSpan.FromSeconds(10)).Analyze(TransitionLog.Empty);

        Assert.Equal(0, report.EventCount);
        Assert.Equal(0, report.EntityCount);
        Assert.All(report.Reached, r => Assert.Equal(0, r));
        Assert.Equal(0, report.Transitions.Total);
        Assert.Equal(0, report.Losses.Total);
        Assert.All(report.TimeInStage, t => Assert.Equal(0, t.Count));
        Assert.Equal((0L, 0L), (report.Won, report.Lost));
        Assert.Equal([0L, 0L, 0L], report.OpenAt.ToArray());
    }

    [Fact]
    public void Analyze_DurationsBeyondUInt32_AreExact()
    {
        const long Far = 5_000_000_000L; // above uint.MaxValue seconds
        var log = new TransitionLogBuilder()
            .Add(0, 0, 0).Add(0, 1, Far)
            .Add(1, 0, 0).Add(1, 1, Far + 1)
            .Add(2, 0, 0).Add(2, 1, 7)
            .Build();

        var report = new TransitionAnalyzer(new FunnelShape(2, 1, 0), TimeSpan.FromSeconds(0)).Analyze(log);

        Assert.Equal(new StageTimeStatistics(0, 3, (2 * Far) + 8, Far), report.TimeInStage[0]);
    }

    [Fact]
    public void Analyze_TimestampsAtBothEndsOfTheValidRange_AreExactPackedOrNot()
    {
        // Packed events keep the time in 39 bits above TransitionLog.MinTimestamp: the whole valid range must fit.
        const long Min = TransitionLog.MinTimestamp;
        const long Max = TransitionLog.MaxTimestamp;
        var log = new TransitionLogBuilder()
            .Add(7, 0, Min).Add(3, 0, Min)
            .Add(7, 1, Min + 1)
            .Add(3, 1, Max, 1)
            .Add(7, 2, Max)
            .Build();
        Assert.True(log.IsTimeOrdered);
        var expected = ReferenceAnalyzer.Analyze(log, 3, 2, 2, Max - Min);

        foreach (var analyzer in EngineVariants(3, 2, 2, Max - Min))
        {
            var report = analyzer.Analyze(log);
            Assert.Null(ReferenceAnalyzer.Compare(expected, report));
            Assert.Equal(new StageTimeStatistics(0, 2, 1 + (Max - Min), 1), report.TimeInStage[0]);
            Assert.Equal(new StageTimeStatistics(1, 1, Max - Min - 1, Max - Min - 1), report.TimeInStage[1]);
        }
    }

    [Fact]
    public void Aggregate_ManyStagesFewEvents_AllocatesSmallDurationSegments()
    {
        // Every stage's duration segment gets room before each kernel step; it must start small, or a wide funnel
        // would cost 256 KB per stage and worker even on a handful of events. Counted in bytes on this thread
        // (one core runs inline), not timed.
        var log = new TransitionLogBuilder().Add(0, 0, 10).Add(0, 1, 20).Add(1, 0, 15).Build();
        var analyzer = new TransitionAnalyzer(new FunnelShape(60, 59, 0), TimeSpan.FromSeconds(100), 1);
        analyzer.Aggregate(log);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var aggregate = analyzer.Aggregate(log);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(3, aggregate.EventCount);
        Assert.InRange(allocated, 1, 2_000_000);
    }

    [Fact]
    public void Analyze_OrdinalBeyondTheAnalyzersCounts_Throws()
    {
        var log = new TransitionLogBuilder().Add(0, 3, 0).Build();

        var error = Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(new FunnelShape(3, 2, 0), TimeSpan.FromSeconds(0)).Analyze(log));

        Assert.Contains("stage ordinal 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_LossReasonBeyondTheAnalyzersCounts_Throws()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0, lossReason: 2).Build();

        Assert.Throws<ArgumentException>(() => new TransitionAnalyzer(new FunnelShape(3, 2, 2), TimeSpan.FromSeconds(0)).Analyze(log));
    }

    [Fact]
    public void Analyze_FromDefinition_UsesItsStagesAndLossReasons()
    {
        var definition = FunnelTemplates.Aida;
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromDays(7));

        Assert.Equal(definition.Stages.Length, analyzer.StageCount);
        Assert.Equal(definition.LossReasons.Length, analyzer.LossReasonCount);
        Assert.Equal(definition.GoalStage.Order, analyzer.GoalStage);
        Assert.Equal(7 * 86_400, analyzer.WindowSeconds);
    }

    [Property(MaxTest = 300)]
    public Property Analyze_RandomLogs_EqualsTheReference()
    {
        return Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            var expected = c.Reference();
            foreach (var analyzer in EngineVariants(c.Stages, c.Goal, c.Reasons, c.Window))
            {
                var problem = ReferenceAnalyzer.Compare(expected, analyzer.Analyze(c.ToLog()));
                if (problem is not null)
                {
                    return false.Label($"{Describe(analyzer)}: {problem}");
                }
            }

            return true.ToProperty();
        });
    }

    [Theory]
    [InlineData(1, 2_000, 50)]       // one entity with many events in random order: the comparison-sort fallback
    [InlineData(300, 6_000, 40)]     // compact ids, a few events each, shuffled: counting sort + insertion per entity
    [InlineData(40, 4_000, 3)]       // ~100 events per entity on 4 distinct seconds: many ties that must keep log order
    [InlineData(50, 3_000, 400)]     // mid-sized entities (~60 events): insertion or fallback depending on disorder
    public void Analyze_LogsNotInTimeOrder_EqualTheReference(int entities, int events, int seconds)
    {
        var random = new Random(entities * 7919 + events);
        var rows = Enumerable.Range(0, events)
            .Select(_ => (Entity: random.Next(entities) * (entities == 1 ? 1 : 3), Stage: random.Next(5), Time: 1_767_225_600L + random.Next(seconds), Reason: random.Next(6) == 0 ? random.Next(3) : -1))
            .ToArray();
        var log = LogCase.ToLog(rows);
        Assert.False(log.IsTimeOrdered);
        var expected = ReferenceAnalyzer.Analyze(log, 5, 4, 3, 100);

        foreach (var analyzer in EngineVariants(5, 4, 3, 100))
        {
            Assert.Null(ReferenceAnalyzer.Compare(expected, analyzer.Analyze(log)));
        }
    }

    [Property(MaxTest = 300)]
    public Property AnalyzeAsync_ChunksOfATimeOrderedLog_EqualTheOnePassResult()
    {
        return Prop.ForAll(LogCase.Arbitrary(), c =>
        {
            // Streaming needs each entity's events in time order across chunks: use the time-ordered log, cut at the case's points.
            var ordered = c.Events.OrderBy(e => e.Time).ToArray();
            var whole = LogCase.ToLog(ordered);
            var expected = ReferenceAnalyzer.Analyze(whole, c.Stages, c.Goal, c.Reasons, c.Window);
            var cuts = c.Cuts.Where(x => x <= ordered.Length).Prepend(0).Append(ordered.Length).Distinct().Order().ToArray();
            var chunks = cuts.Zip(cuts.Skip(1), (from, to) => whole.Slice(from, to - from)).ToArray();
            foreach (var analyzer in EngineVariants(c.Stages, c.Goal, c.Reasons, c.Window))
            {
                var report = analyzer.AnalyzeAsync(chunks.ToAsyncEnumerable()).GetAwaiter().GetResult();
                var problem = ReferenceAnalyzer.Compare(expected, report);
                if (problem is not null)
                {
                    return false.Label($"{Describe(analyzer)}: {problem}");
                }
            }

            return true.ToProperty();
        });
    }

    [Fact]
    public void Add_ChunkThatGoesBackInTimeForAnEntity_ThrowsAndNamesTheEntity()
    {
        var accumulator = new TransitionAnalyzer(new FunnelShape(2, 1, 0), TimeSpan.FromSeconds(0)).CreateAccumulator();
        accumulator.Add(new TransitionLogBuilder().Add(4, 0, 100).Build());

        var error = Assert.Throws<TransitionOrderException>(() => accumulator.Add(new TransitionLogBuilder().Add(4, 1, 50).Build()));

        Assert.Equal(4, error.EntityId);
        Assert.Equal(50, error.Timestamp);
        Assert.Equal(100, error.PreviousTimestamp);
        Assert.Throws<InvalidOperationException>(() => accumulator.Add(TransitionLog.Empty));
    }

    [Fact]
    public void Analyze_GeneratedLog_EqualsTheReferenceOnOneAndManyCores()
    {
        var log = TransitionLogGenerator.Generate(25_000);
        var expected = ReferenceAnalyzer.Analyze(log, TransitionLogGenerator.StageCount, GeneratedGoal, TransitionLogGenerator.LossReasonCount, 7 * 86_400);

        foreach (var dop in new[] { 1, 2, 5 })
        {
            var analyzer = new TransitionAnalyzer(new FunnelShape(TransitionLogGenerator.StageCount, GeneratedGoal, TransitionLogGenerator.LossReasonCount), TimeSpan.FromSeconds(7 * 86_400), dop) { MinEventsPerScatterPart = 1000 };
            ReferenceAnalyzer.AssertEqual(expected, analyzer.Analyze(log));
        }
    }

    /// <summary>
    /// The engine's inner paths: one and several cores, events packed in 8 bytes or carried in 16, and the joint
    /// (row, stage, reason) counters or the separate transition and loss tables that large funnels fall back to.
    /// </summary>
    private static IEnumerable<TransitionAnalyzer> EngineVariants(int stages, int goal, int reasons, long window) =>
        from dop in new[] { 1, 3 }
        from packed in new[] { true, false }
        from joint in new[] { 1 << 12, 0 }
        select new TransitionAnalyzer(new FunnelShape(stages, goal, reasons), TimeSpan.FromSeconds(window), dop) { MinEventsPerScatterPart = 1, PackEvents = packed, MaxJointCounters = joint };

    private static string Describe(TransitionAnalyzer analyzer) =>
        $"dop {analyzer.DegreeOfParallelism}, packed {analyzer.PackEvents}, joint counters up to {analyzer.MaxJointCounters}";

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((x, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[x, .. rest]));
}
