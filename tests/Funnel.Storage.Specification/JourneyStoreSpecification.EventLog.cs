using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

public abstract partial class EventLogStoreSpecification
{
    [Fact]
    public async Task Append_ThenRead_ReturnsEveryEventInLogOrderInChunks()
    {
        var log = NewEventLog();
        var definition = GeneratedLogs.Definition("generated");
        var events = GeneratedLogs.Create(definition, seed: 7, entities: 40);
        Assert.Equal(events.Count, await log.AppendAsync(definition, events));
        await log.AppendAsync(Pipeline, [new FunnelEvent("other", "request", T0)]);

        var chunks = new List<EventLogChunk>();
        await foreach (var chunk in log.ReadAsync(definition, chunkSize: 16))
        {
            chunks.Add(chunk);
        }

        Assert.All(chunks.SkipLast(1), chunk => Assert.Equal(16, chunk.Count));
        Assert.Equal(events.Count, chunks.Sum(c => c.Count));
        Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => i * 16L), chunks.Select(c => c.FirstSequence));
        var read = chunks.SelectMany(c => c.ToEvents()).ToList();
        Assert.Equal(events.Select(e => new FunnelEvent(e.EntityId, e.Stage, DateTimeOffset.FromUnixTimeSeconds(e.At.ToUnixTimeSeconds()), e.LossReason, e.Segment)), read);
        var first = chunks[0];
        Assert.Equal(definition.GetStage(events[0].Stage).Order, first.Stages[0]);
        Assert.Equal(events[0].At.ToUnixTimeSeconds(), first.Timestamps[0]);
        Assert.Equal(events.Count, await log.CountAsync(definition));
    }

    [Fact]
    public async Task Read_EmptyLog_YieldsNoChunks()
    {
        Assert.Empty(await ReadAllAsync(NewEventLog(), Pipeline));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatFunnelsLog()
    {
        var log = NewEventLog();
        await log.AppendAsync(Pipeline, [new FunnelEvent("a", "request", T0), new FunnelEvent("a", "proposal", T0)]);
        await log.AppendAsync(HostileFunnel, [new FunnelEvent("a", Hostile, T0)]);

        Assert.Equal(2, await log.DeleteAsync(Pipeline));

        Assert.Equal(0, await log.CountAsync(Pipeline));
        Assert.Equal(1, await log.CountAsync(HostileFunnel));
    }

    [Fact]
    public async Task ComputeAggregates_HandWorkedLog_GivesTheCanonicalNumbers()
    {
        var definition = GeneratedLogs.Definition("generated");
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent E(string id, string stage, int seconds, string? reason = null) =>
            reason is null ? new FunnelEvent(id, stage, t.AddSeconds(seconds)) : new FunnelEvent(id, stage, t.AddSeconds(seconds), reason);

        FunnelEvent[] events =
        [
            E("a", "lead", 0), E("b", "qualified", 5), E("a", "qualified", 10), E("a", "proposal", 100), E("a", "negotiation", 1000),
            E("b", "lead", 20), E("b", "qualified", 20), E("b", "qualified", 30, "no-budget"),
            E("c", "lead", 50, "no-answer"), E("c", "lead", 60), E("c", "lead", 60), E("c", "qualified", 61),
        ];
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var result = await log.ComputeAggregatesAsync(definition, TimeSpan.FromSeconds(100));

        // a: anchor at 0, qualified at 10, proposal at 100 (= the window, inclusive), negotiation at 1000 too late -> level 3.
        // b: the qualified entry at 5 precedes the anchor at 20; the qualified entry at 20 ties with it -> level 2.
        // c: the loss at 50 is not an entry; anchor at 60; qualified at 61 -> level 2.
        Assert.Equal(new long[] { 3, 3, 1, 0, 0 }, result.Reached.ToArray());
        long[] transitions =
        [
            1, 3, 0, 0, 0, 0,   // lead -> lead (c), lead -> qualified (a, b, c)
            1, 0, 1, 0, 0, 1,   // qualified -> lead (b), -> proposal (a), -> Lost (b)
            0, 0, 0, 1, 0, 0,   // proposal -> negotiation (a)
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0,
            1, 0, 0, 0, 0, 0,   // Lost -> lead (c: its first event is the loss, a row of its own)
        ];
        Assert.Equal(transitions, result.Transitions.Counts.ToArray());

        // lead stays 10 (a), 0 (b), 0, 1 (c); qualified 90 (a), 15, 10 (b); proposal 900 (a); after the loss 10 (c).
        StageTimeStatistics[] times = [new(0, 4, 11, 0), new(1, 3, 115, 15), new(2, 1, 900, 900), new(3, 0, 0, 0), new(4, 0, 0, 0)];
        Assert.Equal(times, result.TimeInStage.ToArray());
        Assert.Equal(new StageTimeStatistics(5, 1, 10, 10), result.TimeAfterLoss);

        // b is lost after qualified; c's first event is its loss: no known stage, so not in Losses.
        Assert.Equal(1, result.Losses[1, 0]);
        Assert.Equal(1, result.Losses.Total);
        Assert.Equal(new long[] { 0, 1, 0 }, result.LossesAtUnknownStage.ToArray());
        Assert.Equal(new long[] { 0, 0, 0 }, result.LossesAfterLoss.ToArray());
        Assert.Equal((12, 3), (result.EventCount, result.EntityCount));
        Assert.Equal(100, result.WindowSeconds);

        // Outcomes by the last event: a ends open at negotiation; b's last event (at 30) is its loss; c ends open at qualified.
        Assert.Equal((0L, 1L), (result.Won, result.Lost));
        Assert.Equal(new long[] { 0, 1, 0, 1, 0 }, result.OpenAt.ToArray());
        Assert.Equal(ReferenceAggregates.Compute(definition, events, 100), result);
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.FromSeconds(100)), result);
    }

    [Fact]
    public async Task ComputeAggregates_TiesLossesFirstLossAfterLossAndEventsAfterTheGoal_GiveTheV2Numbers()
    {
        // Won at proposal, window 100 s; reasons no-budget (0), no-answer (1), competitor (2).
        var definition = GeneratedLogs.Definition("v2", wonAt: "proposal");
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent E(string id, string stage, int seconds, string? reason = null) =>
            reason is null ? new FunnelEvent(id, stage, t.AddSeconds(seconds)) : new FunnelEvent(id, stage, t.AddSeconds(seconds), reason);

        FunnelEvent[] events =
        [
            // Three stages in one second, logged backwards, then two more in one second after the goal: level 5, won.
            E("tie", "proposal", 0), E("tie", "qualified", 0), E("tie", "lead", 0), E("tie", "customer", 50), E("tie", "negotiation", 50),
            // Lost as its first event (stage unknown), then re-entered: level 2, open at qualified.
            E("first", "lead", 10, "no-answer"), E("first", "lead", 20), E("first", "qualified", 30),
            // Lost at qualified, lost again (its row says lead: ignored, it is after a loss), re-entered, proposal too late.
            E("double", "lead", 0), E("double", "qualified", 10), E("double", "qualified", 20, "no-budget"),
            E("double", "lead", 30, "competitor"), E("double", "lead", 40), E("double", "proposal", 200),
            // Anchored at the earliest lead (60, logged last): qualified at 170 is 110 s later -> level 1.
            E("late", "lead", 100), E("late", "qualified", 170), E("late", "lead", 60),
            // A loss and an entry in one second, the loss logged first: the loss is the first event.
            E("tieloss", "lead", 0, "no-answer"), E("tieloss", "lead", 0),
            // An entry and a loss in one second: lost at lead (the loss row's own stage, qualified, is not used).
            E("gone", "lead", 0), E("gone", "qualified", 0, "competitor"),
        ];
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var result = await log.ComputeAggregatesAsync(definition, TimeSpan.FromSeconds(100));

        Assert.Equal(new long[] { 6, 3, 1, 1, 1 }, result.Reached.ToArray());
        long[] transitions =
        [
            1, 3, 1, 0, 1, 1,   // lead -> lead (late), -> qualified (first, double, late), -> proposal (double), -> customer (tie), -> Lost (gone)
            1, 0, 0, 0, 0, 1,   // qualified -> lead (tie), -> Lost (double)
            0, 1, 0, 0, 0, 0,   // proposal -> qualified (tie)
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 1, 0, 0,   // customer -> negotiation (tie: after the goal, still a pair)
            3, 0, 0, 0, 0, 1,   // Lost -> lead (first, double, tieloss), Lost -> Lost (double)
        ];
        Assert.Equal(transitions, result.Transitions.Counts.ToArray());

        // lead: 50 (tie), 10 (first), 10, 160 (double), 40, 70 (late), 0 (gone); qualified: 0 (tie), 10 (double);
        // proposal: 0 (tie); customer: 0 (tie); after a loss: 10 (first), 10, 10 (double), 0 (tieloss).
        StageTimeStatistics[] times = [new(0, 7, 340, 40), new(1, 2, 10, 0), new(2, 1, 0, 0), new(3, 0, 0, 0), new(4, 1, 0, 0)];
        Assert.Equal(times, result.TimeInStage.ToArray());
        Assert.Equal(new StageTimeStatistics(5, 4, 30, 10), result.TimeAfterLoss);

        long[] losses =
        [
            0, 0, 1,   // at lead: competitor (gone)
            1, 0, 0,   // at qualified: no-budget (double)
            0, 0, 0,
            0, 0, 0,
            0, 0, 0,
        ];
        Assert.Equal(losses, result.Losses.Counts.ToArray());
        Assert.Equal(new long[] { 0, 0, 1 }, result.LossesAfterLoss.ToArray());
        Assert.Equal(new long[] { 0, 2, 0 }, result.LossesAtUnknownStage.ToArray());

        Assert.Equal((21L, 6L), (result.EventCount, result.EntityCount));
        Assert.Equal((2L, 1L), (result.Won, result.Lost));
        Assert.Equal(new long[] { 1, 2, 0, 0, 0 }, result.OpenAt.ToArray());
        Assert.Equal(ReferenceAggregates.Compute(definition, events, 100), result);
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.FromSeconds(100)), result);
    }

    [Fact]
    public async Task ComputeAggregates_EqualTimestampsInAnyLogOrder_ReachTheSameLevels()
    {
        // Stages 0..4 all in one second, in every rotation of the log order: each entity reaches the last stage.
        var definition = GeneratedLogs.Definition("rotations");
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stages = definition.Stages.Select(s => s.Key).ToArray();
        var events = Enumerable.Range(0, stages.Length)
            .SelectMany(shift => Enumerable.Range(0, stages.Length).Select(i => new FunnelEvent("r" + shift.ToString(System.Globalization.CultureInfo.InvariantCulture), stages[(i + shift) % stages.Length], t)))
            .ToList();
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var result = await log.ComputeAggregatesAsync(definition, TimeSpan.Zero);

        Assert.All(result.Reached, count => Assert.Equal(stages.Length, count));
        Assert.Equal(ReferenceAggregates.Compute(definition, events, 0), result);
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.Zero), result);
    }

    [Fact]
    public async Task ComputeAggregates_OutcomeReached_IsRefusedNamingTheOption()
    {
        // The push-down judges outcomes by the last event only; under "won once reached" it must refuse (issue 23).
        var definition = new FunnelDefinitionBuilder("reached").AddStage("a").AddStage("b").WonAt("b").WithOutcome(OutcomeRule.Reached).Build();
        var log = NewEventLog();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => log.ComputeAggregatesAsync(definition, TimeSpan.FromDays(1)));

        Assert.Contains("outcome \"reached\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComputeAggregates_StaysOfCenturies_AreTotalledExactly()
    {
        // From year 1 to year 9999 (about 2^38 s): the total needs more than 32 bits and goes through every limb the SQL sums.
        var definition = GeneratedLogs.Definition("centuries");
        var first = DateTimeOffset.FromUnixTimeSeconds(-62_135_596_800L);
        var last = DateTimeOffset.FromUnixTimeSeconds(253_402_300_799L);
        var events = Enumerable.Range(0, 3)
            .SelectMany(i => new[] { new FunnelEvent("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "lead", first), new FunnelEvent("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "qualified", last.AddSeconds(-i)) })
            .ToList();
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var result = await log.ComputeAggregatesAsync(definition, TimeSpan.MaxValue);

        var span = 253_402_300_799L + 62_135_596_800L;
        Assert.Equal(new StageTimeStatistics(0, 3, ((Int128)span * 3) - 3, span - 1), result.TimeInStage[0]);
        Assert.Equal(new long[] { 3, 3, 0, 0, 0 }, result.Reached.ToArray());
        Assert.Equal(ReferenceAggregates.Compute(definition, events, result.WindowSeconds), result);
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.MaxValue), result);
    }

    [Fact]
    public async Task ComputeAggregates_Outcomes_AreJudgedByTheLastEventLikeTheBulkEngineAndTheMetricsReport()
    {
        // Won at proposal; negotiation and customer come after the goal.
        var definition = GeneratedLogs.Definition("outcomes", wonAt: "proposal");
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent E(string id, string stage, int seconds, string? reason = null) =>
            reason is null ? new FunnelEvent(id, stage, t.AddSeconds(seconds)) : new FunnelEvent(id, stage, t.AddSeconds(seconds), reason);

        FunnelEvent[] events =
        [
            E("tie", "lead", 0), E("tie", "qualified", 10, "no-answer"), E("tie", "qualified", 10),      // same second: the later row is last -> open at qualified
            E("back", "lead", 0), E("back", "lead", 5, "no-budget"), E("back", "qualified", 20),         // lost, then re-entered -> open at qualified
            E("won", "lead", 0), E("won", "proposal", 30),                                                // the goal -> won
            E("past", "lead", 0), E("past", "customer", 40), E("past", "negotiation", 50),              // after the goal -> won
            E("lost", "lead", 0), E("lost", "proposal", 30), E("lost", "proposal", 60, "competitor"),  // lost after reaching the goal -> lost
            E("late", "qualified", 100), E("late", "lead", 70),                                          // out of log order: lead at 70 is earlier -> open at qualified
            E("first", "lead", 80),                                                                       // open at lead
        ];
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var pushed = await log.ComputeAggregatesAsync(definition, TimeSpan.FromHours(1));

        Assert.Equal(2, pushed.GoalStage);
        Assert.Equal((7L, 2L, 1L), (pushed.EntityCount, pushed.Won, pushed.Lost));
        Assert.Equal(new long[] { 1, 3, 0, 0, 0 }, pushed.OpenAt.ToArray());
        Assert.Equal(ReferenceAggregates.Compute(definition, events, 3600), pushed);
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.FromHours(1)), pushed);

        // The metrics report judges the same leads the same way (default query: as of the latest event, every lead).
        var report = FunnelReport.Compute(definition, events, FunnelQuery.Default.Ordered(TimeSpan.FromHours(1)));
        Assert.Equal((report.Won, report.Lost), (pushed.Won, pushed.Lost));
        Assert.Equal(report.Stages.Select(s => s.Dropped + s.StillOpen).ToArray(), pushed.OpenAt.ToArray());
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 600)]
    [InlineData(3, 3600)]
    [InlineData(4, 86400)]
    public async Task ComputeAggregates_GeneratedLogsWithTiesReentriesAndLosses_EqualTheReference(int seed, int windowSeconds)
    {
        var definition = GeneratedLogs.Definition("generated");
        var events = GeneratedLogs.Create(definition, seed, entities: 150);
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        var pushed = await log.ComputeAggregatesAsync(definition, TimeSpan.FromSeconds(windowSeconds));

        var expected = ReferenceAggregates.Compute(definition, events, windowSeconds);
        Assert.True(expected.Equals(pushed), $"expected:\n{expected}\nactual:\n{pushed}");
        Assert.True(expected.Transitions.Total > 0 && expected.Losses.Total > 0 && expected.Reached[1] > 0, "the generated log exercises every output");
        Assert.True(expected.TimeAfterLoss.Count > 0 && expected.LossesAfterLoss.Sum() > 0 && expected.LossesAtUnknownStage.Sum() > 0, "the generated log has pairs after a loss, losses after a loss and losses first");

        // The in-memory bulk engine returns the same report as the database.
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.FromSeconds(windowSeconds)), pushed);
    }

    [Fact]
    public async Task ReadAsync_ChunksIntoTheBulkEngine_GiveThePushedDownNumbers()
    {
        var definition = GeneratedLogs.Definition("chunks");
        // Streaming needs each entity's events in time order across chunks, as a time-ordered log has them.
        var events = GeneratedLogs.Create(definition, seed: 7, entities: 120).OrderBy(e => e.At).ToList();
        var log = NewEventLog();
        await log.AppendAsync(definition, events);
        var window = TimeSpan.FromHours(1);

        // Pull the log back in small chunks and stream them through the bulk engine with shared interners.
        var analyzer = new TransitionAnalyzer(definition, window);
        var accumulator = analyzer.CreateAccumulator();
        var entities = new EntityInterner<string>();
        var chunks = 0;
        await foreach (var chunk in log.ReadAsync(definition, chunkSize: 50))
        {
            var part = chunk.ToTransitionLog(entities);
            Assert.Equal(chunk.Count, part.Count);
            accumulator.Add(part);
            chunks++;
        }

        TransitionReport pulled = accumulator.ToAggregate().ToReport();
        TransitionReport pushed = await log.ComputeAggregatesAsync(definition, window);
        Assert.True(chunks > 1, "the log was read in several chunks");
        Assert.Equal(pulled, pushed);
    }

    /// <summary>Numbers the funnel keys of <see cref="ComputeAggregates_AnyGeneratedLogAndWindow_EqualsTheReferenceAndTheBulkEngine"/>, unique in the process.</summary>
    private static int s_generatedCases;

    [Property(MaxTest = 25)]
    public Property ComputeAggregates_AnyGeneratedLogAndWindow_EqualsTheReferenceAndTheBulkEngine()
    {
        // [Property] calls this method once per case (the generated input is the inner property's), so the store is
        // opened per case and the funnel keys are numbered in the process: each case gets its own keys, so the logs
        // of earlier cases do not mix in.
        var log = NewEventLog();
        var gen = StoreGenerators.AggregateCases;
        return Prop.ForAll(Arb.From(gen), input =>
        {
            var definition = GeneratedLogs.Definition("prop-" + Interlocked.Increment(ref s_generatedCases).ToString(System.Globalization.CultureInfo.InvariantCulture), input.goal);
            var events = GeneratedLogs.Create(definition, input.seed, input.entities);
            log.AppendAsync(definition, events).GetAwaiter().GetResult();
            var pushed = log.ComputeAggregatesAsync(definition, TimeSpan.FromSeconds(input.window)).GetAwaiter().GetResult();

            // The same log with every entity's rows reversed (so rows with equal timestamps in the other order): the
            // reach depends on timestamps only.
            var reversedDefinition = GeneratedLogs.Definition("prop-" + Interlocked.Increment(ref s_generatedCases).ToString(System.Globalization.CultureInfo.InvariantCulture), input.goal);
            log.AppendAsync(reversedDefinition, Enumerable.Reverse(events).ToList()).GetAwaiter().GetResult();
            var reversed = log.ComputeAggregatesAsync(reversedDefinition, TimeSpan.FromSeconds(input.window)).GetAwaiter().GetResult();
            return ReferenceAggregates.Compute(definition, events, input.window).Equals(pushed)
                && AnalyzeInMemory(definition, events, TimeSpan.FromSeconds(input.window)).Equals(pushed)
                && pushed.Reached.AsSpan().SequenceEqual(reversed.Reached.AsSpan());
        });
    }

    [Fact]
    public async Task ComputeAggregates_AppendedInSeveralBatches_EqualsTheReferenceOverTheWholeLog()
    {
        var definition = GeneratedLogs.Definition("generated");
        var events = GeneratedLogs.Create(definition, seed: 11, entities: 80);
        var log = NewEventLog();
        foreach (var batch in events.Chunk(97))
        {
            await log.AppendAsync(definition, batch);
        }

        Assert.Equal(ReferenceAggregates.Compute(definition, events, 1800), await log.ComputeAggregatesAsync(definition, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public async Task ComputeAggregates_EmptyLog_AllZeroAndEqualToTheBulkEngine()
    {
        var result = await NewEventLog().ComputeAggregatesAsync(Pipeline, TimeSpan.FromDays(1));
        Assert.All(result.Reached, n => Assert.Equal(0, n));
        Assert.Equal(0, result.Transitions.Total);
        Assert.All(result.TimeInStage, time => Assert.Equal(0, time.Count));
        Assert.Equal(0, result.Losses.Total);
        Assert.Equal((0, 0), (result.EventCount, result.EntityCount));
        Assert.Equal(Pipeline.Stages.Length, result.StageCount);
        Assert.Equal(Pipeline.LossReasons.Length, result.LossReasonCount);
        Assert.Equal(AnalyzeInMemory(Pipeline, [], TimeSpan.FromDays(1)), result);
    }

    [Fact]
    public async Task ComputeAggregates_FractionalWindow_IsTruncatedToWholeSecondsLikeTheBulkEngine()
    {
        var definition = GeneratedLogs.Definition("fraction");
        var events = GeneratedLogs.Create(definition, seed: 5, entities: 30);
        var log = NewEventLog();
        await log.AppendAsync(definition, events);
        var window = TimeSpan.FromSeconds(600.75);

        var pushed = await log.ComputeAggregatesAsync(definition, window);

        Assert.Equal(600, pushed.WindowSeconds);
        Assert.Equal(AnalyzeInMemory(definition, events, window), pushed);
    }

    /// <summary>The bulk engine over the same events, with timestamps cut to whole seconds as the stores keep them.</summary>
    private static TransitionReport AnalyzeInMemory(FunnelDefinition definition, IReadOnlyList<FunnelEvent> events, TimeSpan window) =>
        new TransitionAnalyzer(definition, window).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));
}
