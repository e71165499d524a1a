using System.Collections.Immutable;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;
using Funnel.Storage.Specification;

namespace Funnel.Storage.ClickHouse.Tests;

/// <summary>
/// The funnel modes the ClickHouse push-down computes — per-step windows (docs/bulk.md rule 7), the latest and best
/// anchors (rule 8) and the interpolated median (rule 13), alone and together — equal the bulk engine on the log read
/// back; the other modes are refused by name. Run on one server and on the two-shard cluster (the derived classes).
/// </summary>
public abstract class ClickHousePushDownModesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Numbers the funnel keys of the property's cases, unique in the process, so no case sees another's rows.</summary>
    private static int s_cases;

    private ClickHouseEventLogStore? _text;
    private ClickHouseEventLogStore? _numeric;

    private ClickHouseEventLogStore Text => _text ?? throw new InvalidOperationException("Not initialised.");

    private ClickHouseEventLogStore Numeric => _numeric ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _text = await CreateStoreAsync(ClickHouseEntityKeyType.Text);
        _numeric = await CreateStoreAsync(ClickHouseEntityKeyType.Numeric);
        await _text.EnsureCreatedAsync();
        await _numeric.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in new[] { _text, _numeric })
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        await DropDatabasesAsync();
    }

    [Property(MaxTest = 20)]
    public Property PushDown_WithPerStepWindowsAndAnchors_EqualsTheEngineOnTheLogReadBack()
    {
        // Shuffled rows with ties, re-entries into the first step, losses first, String or Int64 keys, appended in one to
        // four appends of 13-row inserts, so a lead's rows come in several batches.
        var definition = GeneratedLogs.Definition("x");
        return Prop.ForAll(ModeLogs.Cases(definition.Stages.Length).ToArbitrary(), c =>
        {
            var funnel = GeneratedLogs.Definition("modes-" + Interlocked.Increment(ref s_cases).ToString(CultureInfo.InvariantCulture));
            var store = c.NumericKeys ? Numeric : Text;
            var events = ModeLogs.Create(funnel, c.Seed, c.Entities, c.NumericKeys);
            var appends = 1 + (c.Seed % 4);
            foreach (var part in events.Chunk(Math.Max(1, (events.Count + appends - 1) / appends)))
            {
                store.AppendAsync(funnel, part).GetAwaiter().GetResult();
            }

            var analyzer = new TransitionAnalyzer(funnel, TimeSpan.FromSeconds(c.Window)) { StepWindows = c.StepWindows, Anchor = c.Anchor, Median = c.Median };
            var pushed = store.ComputeAggregatesAsync(funnel, analyzer).GetAwaiter().GetResult();
            var readBack = ReadBackAsync(store, funnel).GetAwaiter().GetResult();

            Assert.Equal(events.Count, readBack.Count);
            var engine = analyzer.Analyze(TransitionLog.FromEvents(readBack, funnel, new EntityInterner<string>()));
            Assert.Equal(engine, pushed);

            // Equality compares the lower medians; the interpolated one needs the upper ones too.
            Assert.Equal(engine.TimeInStage.Append(engine.TimeAfterLoss).Select(engine.MedianSecondsOf), pushed.TimeInStage.Append(pushed.TimeAfterLoss).Select(pushed.MedianSecondsOf));
        });
    }

    [Fact]
    public async Task StepWindow_MeasuredFromTheLatestEntryIntoThePreviousStep_NotTheEarliest()
    {
        // docs/bulk.md rule 7: with 10 s for step 2, qualified@1 is too early for proposal@105, qualified@100 is not.
        var events = Leads(("again", "0@0 1@1 1@100 2@105"), ("once", "0@0 1@1 2@105"));
        var analyzer = Analyzer(TimeSpan.FromDays(1), steps: [null, TimeSpan.FromSeconds(10), null, null]);

        Assert.Equal(new long[] { 2, 2, 1, 0, 0 }, await ReachedAsync(events, analyzer));
    }

    [Fact]
    public async Task StepWindow_EntriesInOneSecond_MatchInAnyOrder()
    {
        // Zero-second step windows: a burst logged backwards matches in full; a step a second later does not.
        var events = Leads(("burst", "3@50 2@50 1@50 0@50"), ("late", "0@0 1@1"));
        var analyzer = Analyzer(TimeSpan.FromDays(1), steps: [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero]);

        Assert.Equal(new long[] { 2, 1, 1, 1, 0 }, await ReachedAsync(events, analyzer));
    }

    [Fact]
    public async Task StepWindow_AndTheGlobalWindow_BothBind()
    {
        // Window 100 s from the anchor, 60 s for step 1: qualified@60 is in both, proposal@101 misses the window,
        // qualified@61 misses the step.
        var events = Leads(("window", "0@0 1@60 2@101"), ("step", "0@0 1@61"));
        var analyzer = Analyzer(TimeSpan.FromSeconds(100), steps: [TimeSpan.FromSeconds(60), null, null, null]);

        Assert.Equal(new long[] { 2, 1, 0, 0, 0 }, await ReachedAsync(events, analyzer));
    }

    [Theory]
    [InlineData(AnchorMode.First, new long[] { 2, 2, 1, 0, 0 })]
    [InlineData(AnchorMode.Latest, new long[] { 2, 1, 1, 0, 0 })]
    [InlineData(AnchorMode.Best, new long[] { 2, 2, 2, 0, 0 })]
    public async Task Anchor_ALeadThatComesBackAndBuysOnTheSecondTry_CountsByTheAnchor(AnchorMode anchor, long[] reached)
    {
        // docs/bulk.md rule 8 (window 1000 s): "back" converts on its second try (first: 2 steps; latest and best: 3);
        // "before" converted on its first try and came back once more (first and best: 3; latest: 1).
        var events = Leads(("back", "0@0 1@10 0@50000 1@50010 2@50020"), ("before", "0@0 1@10 2@20 0@5000"));

        Assert.Equal(reached, await ReachedAsync(events, Analyzer(TimeSpan.FromSeconds(1000), anchor: anchor)));
    }

    [Theory]
    [InlineData(AnchorMode.First, new long[] { 1, 0, 0, 0, 0 })]
    [InlineData(AnchorMode.Latest, new long[] { 1, 0, 0, 0, 0 })]
    [InlineData(AnchorMode.Best, new long[] { 1, 1, 1, 0, 0 })]
    public async Task BestAnchor_TheDeepestAttempt_CountsEvenWhenNeitherFirstNorLatest(AnchorMode anchor, long[] reached)
    {
        // Window 100 s: only the attempt from lead@100 reaches proposal (qualified@150, proposal@160).
        var events = Leads(("middle", "0@0 0@100 1@150 2@160 0@10000"));

        Assert.Equal(reached, await ReachedAsync(events, Analyzer(TimeSpan.FromSeconds(100), anchor: anchor)));
    }

    [Theory]
    [InlineData(AnchorMode.First, new long[] { 2, 1, 0, 0, 0 })]
    [InlineData(AnchorMode.Latest, new long[] { 2, 1, 1, 0, 0 })]
    [InlineData(AnchorMode.Best, new long[] { 2, 2, 1, 0, 0 })]
    public async Task Anchors_WithStepWindows_EachChainKeepsItsOwnAnchor(AnchorMode anchor, long[] reached)
    {
        // Window 100 s, 10 s for step 1. "restart": from lead@50, qualified@55 and proposal@120 (first: qualified@55 is
        // 55 s after lead@0, too late for the step). "early": the chain from lead@0 reaches qualified@5 but proposal@104
        // is outside its window, and lead@8 has no qualified after it (best: 2 steps, from the earlier anchor).
        var events = Leads(("restart", "0@0 0@50 1@55 2@120"), ("early", "0@0 1@5 0@8 2@104"));
        var analyzer = Analyzer(TimeSpan.FromSeconds(100), steps: [TimeSpan.FromSeconds(10), null, null, null], anchor: anchor);

        Assert.Equal(reached, await ReachedAsync(events, analyzer));
    }

    [Theory]
    [InlineData(AnchorMode.First)]
    [InlineData(AnchorMode.Latest)]
    [InlineData(AnchorMode.Best)]
    public async Task Anchors_LossesNeverAnchor_AndALeadWithoutAFirstStepEntryTakesNoPart(AnchorMode anchor)
    {
        // Lost before any stage, lost between two tries; "never" enters qualified only.
        var events = Leads(("lost", "x@0 1@5 0@10 x@12 1@20"), ("never", "1@0 2@10"));
        var analyzer = Analyzer(TimeSpan.FromSeconds(100), steps: [TimeSpan.FromSeconds(10), null, null, null], anchor: anchor);

        Assert.Equal(new long[] { 1, 1, 0, 0, 0 }, await ReachedAsync(events, analyzer));
    }

    [Fact]
    public async Task DefinitionWithStepWindows_IsPushedDownThroughTheWindowOverload()
    {
        var definition = new FunnelDefinitionBuilder("stepped-" + Interlocked.Increment(ref s_cases).ToString(CultureInfo.InvariantCulture))
            .AddStage("lead")
            .AddStage("qualified", s => s.WithStepWindow(TimeSpan.FromSeconds(30)))
            .AddStage("customer", s => s.WithStepWindow(TimeSpan.FromHours(1)))
            .WonAt("customer")
            .AddLossReason("no-budget")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .Build();
        FunnelEvent[] events =
        [
            new("fast", "lead", T0), new("fast", "qualified", T0.AddSeconds(30)), new("fast", "customer", T0.AddMinutes(30)),
            new("slow", "lead", T0), new("slow", "qualified", T0.AddSeconds(31)), new("slow", "customer", T0.AddMinutes(30)),
        ];
        await Text.AppendAsync(definition, events);

        var pushed = await Text.ComputeAggregatesAsync(definition, TimeSpan.FromDays(1));

        Assert.Equal([2, 1, 1], pushed.Reached.ToArray());
        Assert.Equal([30, 3600], pushed.StepWindowSeconds.ToArray());
        Assert.Equal(new TransitionAnalyzer(definition, TimeSpan.FromDays(1)).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>())), pushed);
    }

    [Theory]
    [InlineData("strict", "PushDownOptions.StrictOrder")]
    [InlineData("unordered", "PushDownOptions.UnorderedSteps")]
    [InlineData("exclusion", "PushDownOptions.Exclusions")]
    [InlineData("optional", "PushDownOptions.OptionalSteps")]
    [InlineData("time to convert", "PushDownOptions.ConversionTimes")]
    [InlineData("optional with the best anchor", "PushDownOptions.OptionalSteps")]
    public async Task OtherModes_AreRefused_NamingTheOption(string mode, string named)
    {
        // Issue 22 item 3: what the store cannot compute exactly, it refuses by name rather than return other numbers.
        var definition = GeneratedLogs.Definition("refused");
        var window = TimeSpan.FromDays(1);
        var analyzer = mode switch
        {
            "strict" => new TransitionAnalyzer(definition, window) { Order = StepOrder.Strict },
            "unordered" => new TransitionAnalyzer(definition, window) { Order = StepOrder.Unordered },
            "exclusion" => new TransitionAnalyzer(definition, window) { Exclusions = [FunnelExclusion.Loss(1, 2, "competitor")] },
            "optional" => new TransitionAnalyzer(definition, window) { OptionalSteps = [2] },
            "time to convert" => new TransitionAnalyzer(definition, window) { ConversionTimes = true },
            _ => new TransitionAnalyzer(definition, window) { OptionalSteps = [1], Anchor = AnchorMode.Best, Median = MedianKind.Interpolated },
        };

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => Text.ComputeAggregatesAsync(definition, analyzer));

        Assert.Contains("ClickHouseEventLogStore does not push down", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BestAnchor", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("InterpolatedMedian", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SupportedPushDownOptions_ArePerStepWindowsTheLatestAndBestAnchorsAndTheInterpolatedMedian()
    {
        Assert.Equal(
            PushDownOptions.StepWindows | PushDownOptions.LatestAnchor | PushDownOptions.BestAnchor | PushDownOptions.InterpolatedMedian,
            Text.SupportedPushDownOptions);
    }

    /// <summary>Creates a store over a fresh database (or a fresh database on every node) with <paramref name="keyType"/> keys; not yet created.</summary>
    protected abstract Task<ClickHouseEventLogStore> CreateStoreAsync(ClickHouseEntityKeyType keyType);

    /// <summary>Drops the databases <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DropDatabasesAsync();

    private static TransitionAnalyzer Analyzer(TimeSpan window, TimeSpan?[]? steps = null, AnchorMode anchor = AnchorMode.First) =>
        new(GeneratedLogs.Definition("analyzer"), window) { StepWindows = steps is null ? [] : [.. steps], Anchor = anchor };

    /// <summary>Leads written as "stage@second" (stage ordinals of <see cref="GeneratedLogs.Definition"/>; "x" a loss), in log order.</summary>
    private static List<FunnelEvent> Leads(params (string Id, string Events)[] leads)
    {
        var definition = GeneratedLogs.Definition("notation");
        var events = new List<FunnelEvent>();
        foreach (var (id, text) in leads)
        {
            foreach (var item in text.Split(' '))
            {
                var (stage, at) = (item[..item.IndexOf('@', StringComparison.Ordinal)], T0.AddSeconds(long.Parse(item[(item.IndexOf('@', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)));
                events.Add(stage == "x"
                    ? new FunnelEvent(id, "lead", at, "no-budget")
                    : new FunnelEvent(id, definition.Stages[int.Parse(stage, CultureInfo.InvariantCulture)].Key, at));
            }
        }

        return events;
    }

    /// <summary>Appends the leads under a new funnel key, pushes the analyzer's question down, checks it against the engine and returns the reach.</summary>
    private async Task<long[]> ReachedAsync(List<FunnelEvent> events, TransitionAnalyzer question)
    {
        var definition = GeneratedLogs.Definition("example-" + Interlocked.Increment(ref s_cases).ToString(CultureInfo.InvariantCulture));
        var analyzer = new TransitionAnalyzer(definition, TimeSpan.FromSeconds(question.WindowSeconds)) { StepWindows = question.StepWindows, Anchor = question.Anchor };
        await Text.AppendAsync(definition, events);

        var pushed = await Text.ComputeAggregatesAsync(definition, analyzer);

        Assert.Equal(analyzer.Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>())), pushed);
        Assert.Equal(question.Anchor, pushed.Anchor);
        return pushed.Reached.ToArray();
    }

    private static async Task<List<FunnelEvent>> ReadBackAsync(EventLogStore store, FunnelDefinition definition)
    {
        var events = new List<FunnelEvent>();
        await foreach (var chunk in store.ReadAsync(definition, chunkSize: 97))
        {
            events.AddRange(chunk.ToEvents());
        }

        return events;
    }
}

/// <summary>The funnel-mode push-down on one ClickHouse server.</summary>
public sealed class ClickHouseSingleNodePushDownModesTests : ClickHousePushDownModesTests
{
    private readonly List<string> _databases = [];

    protected override async Task<ClickHouseEventLogStore> CreateStoreAsync(ClickHouseEntityKeyType keyType)
    {
        var database = "funnel_" + Guid.NewGuid().ToString("N");
        await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "CREATE DATABASE " + database);
        _databases.Add(database);
        return new ClickHouseEventLogStore(new ClickHouseEventLogOptions
        {
            ConnectionString = ClickHouseTestServer.WithDatabase(ClickHouseTestServer.Shard1, database),
            KeyType = keyType,
            BatchSize = 13,
        });
    }

    protected override async Task DropDatabasesAsync()
    {
        foreach (var database in _databases)
        {
            await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "DROP DATABASE IF EXISTS " + database);
        }
    }
}

/// <summary>The funnel-mode push-down on the two-shard cluster: each lead's rows on one shard, computed there.</summary>
[Collection(ClusterTests.Name)]
public sealed class ClickHouseClusterPushDownModesTests : ClickHousePushDownModesTests
{
    private readonly List<ClusterDatabase> _databases = [];

    protected override async Task<ClickHouseEventLogStore> CreateStoreAsync(ClickHouseEntityKeyType keyType)
    {
        var database = new ClusterDatabase();
        await database.CreateAsync();
        _databases.Add(database);
        return database.Store(keyType, batchSize: 13);
    }

    protected override async Task DropDatabasesAsync()
    {
        foreach (var database in _databases)
        {
            await database.DropAsync();
        }
    }
}
