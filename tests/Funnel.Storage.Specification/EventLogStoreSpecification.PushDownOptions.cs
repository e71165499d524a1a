using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// The push-down of the funnel modes (<see cref="PushDownOptions"/>): for every option, a store that lists it in
/// <see cref="EventLogStore.SupportedPushDownOptions"/> returns the engine's report on the log read back, and a store
/// that does not refuses it with a <see cref="NotSupportedException"/> naming it. The sales examples run on every store:
/// where the store computes the option they check the numbers, elsewhere the refusal.
/// </summary>
public abstract partial class EventLogStoreSpecification
{
    /// <summary>Numbers the funnel keys of the push-down option tests, unique in the process.</summary>
    private static int s_optionCases;

    public static TheoryData<PushDownOptions> EachPushDownOption =>
        [.. Enum.GetValues<PushDownOptions>().Where(o => o != PushDownOptions.None)];

    [Property(MaxTest = 30)]
    public Property ComputeAggregates_AnyComposedQuestion_EqualsTheEngineOnTheLogReadBackOrIsRefusedNamingTheOption()
    {
        // Step windows, anchors and medians composed at random, now and then with an option the store may not compute.
        var log = NewEventLog();
        return Prop.ForAll(Arb.From(StoreGenerators.PushDownCases()), input => AnswersOrRefuses(log, input, null));
    }

    [Theory]
    [MemberData(nameof(EachPushDownOption))]
    public void ComputeAggregates_EachOption_EqualsTheEngineWhenTheStoreListsItAndIsRefusedNamingItOtherwise(PushDownOptions option)
    {
        // Each generated question uses exactly this option, over the hard shapes of the composed property.
        var log = NewEventLog();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(6), Prop.ForAll(Arb.From(StoreGenerators.PushDownCases(option)), input => AnswersOrRefuses(log, input, option)));
    }

    [Fact]
    public async Task ComputeAggregates_DefinitionWithAStepWindow_IsComputedOrRefusedNamingTheStage()
    {
        var definition = new FunnelDefinitionBuilder("stepped").AddStage("a").AddStage("b", s => s.WithStepWindow(TimeSpan.FromHours(1))).WonAt("b").Build();
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events = [new("in-time", "a", t), new("in-time", "b", t.AddHours(1)), new("late", "a", t), new("late", "b", t.AddHours(1).AddSeconds(1))];
        var log = NewEventLog();
        await log.AppendAsync(definition, events);

        // A store without per-step windows (this one narrowed to none) refuses, naming the stage with the step window.
        var narrowed = Narrowed(PushDownOptions.None);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => narrowed.ComputeAggregatesAsync(definition, TimeSpan.FromDays(1)));
        Assert.Contains("Stage 'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PushDownOptions.StepWindows), error.Message, StringComparison.Ordinal);

        if (!log.SupportedPushDownOptions.HasFlag(PushDownOptions.StepWindows))
        {
            error = await Assert.ThrowsAsync<NotSupportedException>(() => log.ComputeAggregatesAsync(definition, TimeSpan.FromDays(1)));
            Assert.Contains("Stage 'b'", error.Message, StringComparison.Ordinal);
            return;
        }

        var pushed = await log.ComputeAggregatesAsync(definition, TimeSpan.FromDays(1));
        Assert.Equal(new long[] { 2, 1 }, pushed.Reached.ToArray());
        Assert.Equal([3600L], pushed.StepWindowSeconds.ToArray());
        Assert.Equal(AnalyzeInMemory(definition, events, TimeSpan.FromDays(1)), pushed);
    }

    [Fact]
    public async Task ComputeAggregates_StepWindowMissedByOneSecond_StopsTheLeadAtTheStepBefore()
    {
        // The proposal must follow qualification within an hour: one lead sends it on the hour, one a second later.
        var definition = GeneratedLogs.Definition(OptionKey("missed-by-a-second"));
        var t = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("on-time", "lead", t), new("on-time", "qualified", t.AddMinutes(5)), new("on-time", "proposal", t.AddMinutes(65)),
            new("late", "lead", t), new("late", "qualified", t.AddMinutes(5)), new("late", "proposal", t.AddMinutes(65).AddSeconds(1)),
        ];
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromDays(1)) { StepWindows = [null, TimeSpan.FromHours(1), null, null] };
        var log = await AppendedAsync(definition, events);

        await AssertReachedOrRefusedAsync(log, definition, events, analyzer, PushDownOptions.StepWindows, [2, 2, 1, 0, 0]);
    }

    [Fact]
    public async Task ComputeAggregates_StepWindow_MatchesALaterEntryWhenTheEarliestIsTooEarly()
    {
        // Docs/bulk.md rule 7 (W_2 = 10 s): 0@0, 1@1, 1@100, 2@105 reaches the proposal (matched from the requalification at 100);
        // without the second qualification, 0@0, 1@1, 2@105 does not.
        var definition = GeneratedLogs.Definition(OptionKey("later-entry"));
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("again", "lead", t), new("again", "qualified", t.AddSeconds(1)), new("again", "qualified", t.AddSeconds(100)), new("again", "proposal", t.AddSeconds(105)),
            new("once", "lead", t), new("once", "qualified", t.AddSeconds(1)), new("once", "proposal", t.AddSeconds(105)),
            // Ties: qualification and proposal in the anchor's second, logged backwards.
            new("ties", "proposal", t), new("ties", "qualified", t), new("ties", "lead", t),
        ];
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromHours(1)) { StepWindows = [null, TimeSpan.FromSeconds(10), null, null] };
        var log = await AppendedAsync(definition, events);

        await AssertReachedOrRefusedAsync(log, definition, events, analyzer, PushDownOptions.StepWindows, [3, 3, 2, 0, 0]);
    }

    [Fact]
    public async Task ComputeAggregates_BestAnchor_ALeadThatBuysOnItsSecondAttemptCountsAsConverted()
    {
        // Docs/bulk.md rule 8 (W = 1000 s): 0@0, 1@10, 0@50000, 1@50010, 2@50020 — the first attempt stalls, the second reaches the proposal.
        var definition = GeneratedLogs.Definition(OptionKey("second-attempt"));
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("came-back", "lead", t), new("came-back", "qualified", t.AddSeconds(10)),
            new("came-back", "lead", t.AddSeconds(50_000)), new("came-back", "qualified", t.AddSeconds(50_010)), new("came-back", "proposal", t.AddSeconds(50_020)),
            // Deeper first, then a shallow return: Best keeps the first attempt, Latest the return.
            new("returned", "lead", t), new("returned", "qualified", t.AddSeconds(10)), new("returned", "proposal", t.AddSeconds(20)), new("returned", "negotiation", t.AddSeconds(30)),
            new("returned", "lead", t.AddSeconds(60_000)),
        ];
        var window = TimeSpan.FromSeconds(1000);
        var log = await AppendedAsync(definition, events);

        await AssertReachedOrRefusedAsync(log, definition, events, new TransitionAnalyzer(definition, window), PushDownOptions.None, [2, 2, 1, 1, 0]);
        await AssertReachedOrRefusedAsync(log, definition, events, new TransitionAnalyzer(definition, window) { Anchor = AnchorMode.Best }, PushDownOptions.BestAnchor, [2, 2, 2, 1, 0]);
        await AssertReachedOrRefusedAsync(log, definition, events, new TransitionAnalyzer(definition, window) { Anchor = AnchorMode.Latest }, PushDownOptions.LatestAnchor, [2, 1, 1, 0, 0]);
    }

    [Fact]
    public async Task ComputeAggregates_BestAnchorWithStepWindows_TakesTheAttemptWhoseStepsAreInTime()
    {
        // Qualification must follow the lead within 60 s: the first attempt is too slow, the second is in time.
        var definition = GeneratedLogs.Definition(OptionKey("best-steps"));
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("slow-then-quick", "lead", t), new("slow-then-quick", "lead", t.AddSeconds(100)), new("slow-then-quick", "qualified", t.AddSeconds(130)),
            new("slow-then-quick", "proposal", t.AddSeconds(131)),
        ];
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromSeconds(1000)) { Anchor = AnchorMode.Best, StepWindows = [TimeSpan.FromSeconds(60), null, null, null] };
        var log = await AppendedAsync(definition, events);

        await AssertReachedOrRefusedAsync(log, definition, events, analyzer, PushDownOptions.BestAnchor | PushDownOptions.StepWindows, [1, 1, 1, 0, 0]);
        var first = new TransitionAnalyzer(definition, TimeSpan.FromSeconds(1000)) { StepWindows = analyzer.StepWindows };
        await AssertReachedOrRefusedAsync(log, definition, events, first, PushDownOptions.StepWindows, [1, 0, 0, 0, 0]);
    }

    [Fact]
    public async Task ComputeAggregates_InterpolatedMedian_IsTheMeanOfTheTwoMiddleStays()
    {
        // Docs/bulk.md rule 13: stays of 3600 and 7200 s at the lead stage → lower median 3600, interpolated 5400.
        var definition = GeneratedLogs.Definition(OptionKey("median"));
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("hour", "lead", t), new("hour", "qualified", t.AddHours(1)),
            new("two-hours", "lead", t), new("two-hours", "qualified", t.AddHours(2)),
        ];
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromDays(1)) { Median = MedianKind.Interpolated };
        var log = await AppendedAsync(definition, events);

        var pushed = await AssertReachedOrRefusedAsync(log, definition, events, analyzer, PushDownOptions.InterpolatedMedian, [2, 2, 0, 0, 0]);

        // The engine's numbers, and the store's when it computes them.
        foreach (var report in new[] { analyzer.Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>())), pushed }.OfType<TransitionReport>())
        {
            Assert.Equal((3600L, 7200L), (report.TimeInStage[0].MedianSeconds, report.TimeInStage[0].UpperMedianSeconds));
            Assert.Equal(5400, report.MedianSecondsOf(report.TimeInStage[0]));
        }
    }

    /// <summary>Appends <paramref name="input"/>'s log under a new key, asks its question, and checks the answer against the engine (or the refusal).</summary>
    private static bool AnswersOrRefuses(EventLogStore log, PushDownCase input, PushDownOptions? uses)
    {
        var definition = GeneratedLogs.Definition(OptionKey("modes"));
        var analyzer = input.Analyzer(definition);
        if (uses is { } option)
        {
            Assert.Equal(option, EventLogStore.RequiredPushDownOptions(analyzer));
        }

        if ((EventLogStore.RequiredPushDownOptions(analyzer) & ~log.SupportedPushDownOptions) == PushDownOptions.None)
        {
            // A refusal comes before the log is read, so only an answered question needs its log (keeps slow stores fast).
            log.AppendAsync(definition, input.Events(definition)).GetAwaiter().GetResult();
        }

        AssertAnswersOrRefusesAsync(log, definition, analyzer).GetAwaiter().GetResult();
        return true;
    }

    /// <summary>
    /// The store's answer equals the engine's report on the log read back (upper medians included when the question
    /// shows the interpolated median), or — when the question uses an option the store does not list — the call throws
    /// a <see cref="NotSupportedException"/> that names every such option.
    /// </summary>
    private static async Task AssertAnswersOrRefusesAsync(EventLogStore log, FunnelDefinition definition, TransitionAnalyzer analyzer)
    {
        var missing = EventLogStore.RequiredPushDownOptions(analyzer) & ~log.SupportedPushDownOptions;
        if (missing != PushDownOptions.None)
        {
            var error = await Assert.ThrowsAsync<NotSupportedException>(() => log.ComputeAggregatesAsync(definition, analyzer));
            Assert.All(Enum.GetValues<PushDownOptions>().Where(o => o != PushDownOptions.None && missing.HasFlag(o)), option => Assert.Contains(option.ToString(), error.Message, StringComparison.Ordinal));
            return;
        }

        var pushed = await log.ComputeAggregatesAsync(definition, analyzer);
        var engine = analyzer.Analyze(TransitionLog.FromEvents(await ReadAllAsync(log, definition), definition, new EntityInterner<string>()));
        Assert.True(engine.Equals(pushed), $"engine:\n{engine}\npushed:\n{pushed}");
        if (analyzer.Median == MedianKind.Interpolated)
        {
            // StageTimeStatistics equality compares the lower median only; the interpolated median needs the upper one too.
            Assert.Equal(engine.TimeInStage.Append(engine.TimeAfterLoss).Select(s => s.UpperMedianSeconds), pushed.TimeInStage.Append(pushed.TimeAfterLoss).Select(s => s.UpperMedianSeconds));
        }
    }

    /// <summary>
    /// A sales example: the engine reaches <paramref name="reached"/> on <paramref name="events"/> with a question that
    /// uses exactly <paramref name="options"/>, and <paramref name="log"/> (which holds the events) gives the engine's
    /// report — or refuses, naming the options, when it does not list them. Returns the store's report, or null when refused.
    /// </summary>
    private static async Task<TransitionReport?> AssertReachedOrRefusedAsync(EventLogStore log, FunnelDefinition definition, IReadOnlyList<FunnelEvent> events, TransitionAnalyzer analyzer, PushDownOptions options, long[] reached)
    {
        Assert.Equal(options, EventLogStore.RequiredPushDownOptions(analyzer));
        var engine = analyzer.Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));
        Assert.Equal(reached, engine.Reached.ToArray());
        await AssertAnswersOrRefusesAsync(log, definition, analyzer);
        if ((options & ~log.SupportedPushDownOptions) != PushDownOptions.None)
        {
            return null;
        }

        var pushed = await log.ComputeAggregatesAsync(definition, analyzer);
        Assert.Equal(engine, pushed);
        Assert.Equal(reached, pushed.Reached.ToArray());
        return pushed;
    }

    /// <summary>A new store holding <paramref name="events"/> in the log of <paramref name="definition"/>.</summary>
    private async Task<EventLogStore> AppendedAsync(FunnelDefinition definition, IReadOnlyList<FunnelEvent> events)
    {
        var log = NewEventLog();
        await log.AppendAsync(definition, events);
        return log;
    }

    /// <summary>This test's store, seen through a store that lists only <paramref name="supported"/> (of what the real store lists).</summary>
    private NarrowedStore Narrowed(PushDownOptions supported)
    {
        var store = new NarrowedStore(CreateEventLogStore(), supported);
        Track(store);
        return store;
    }

    private static string OptionKey(string name) =>
        name + "-" + Interlocked.Increment(ref s_optionCases).ToString(CultureInfo.InvariantCulture);

    /// <summary>A store that pushes down only some options of the real store it wraps: what a store without them looks like to a caller.</summary>
    private sealed class NarrowedStore(EventLogStore inner, PushDownOptions supported) : DelegatingEventLogStore(inner)
    {
        public override PushDownOptions SupportedPushDownOptions => supported & InnerStore.SupportedPushDownOptions;
    }
}
