using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;
using Funnel.Storage.Specification;

namespace Funnel.Storage.ClickHouse.Tests;

/// <summary>What only a cluster has: sharding by lead, the engine's numbers on hard shapes, and failures that name where.</summary>
[Collection(ClusterTests.Name)]
public sealed class ClickHouseClusterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ClusterDatabase _database = new();
    private readonly ClusterDatabase _numeric = new();
    private readonly List<ClickHouseEventLogStore> _stores = [];

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        await _numeric.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await _database.DropAsync();
        await _numeric.DropAsync();
    }

    [Property(MaxTest = 12, StartSize = 1, EndSize = 30)]
    public bool PushDown_OnTheCluster_EqualsTheBulkEngine_OnShuffledLogsWithTiesLostFirstAndAnyKeys(PositiveInt seed, NonNegativeInt entities, bool numericKeys, byte windowChoice)
    {
        // GeneratedLogs has ties logged backwards, leads lost first and twice, events after the goal and out of time order;
        // the rows are shuffled on top, and the keys are either awkward strings or integers of both signs.
        var store = numericKeys ? _numeric.Store(ClickHouseEntityKeyType.Numeric) : _database.Store();
        _stores.Add(store);
        store.EnsureCreatedAsync().GetAwaiter().GetResult();
        var definition = GeneratedLogs.Definition("p" + seed.Get.ToString(CultureInfo.InvariantCulture) + (numericKeys ? "n" : "s") + entities.Get.ToString(CultureInfo.InvariantCulture) + "w" + windowChoice.ToString(CultureInfo.InvariantCulture));
        var random = new Random(seed.Get);
        var events = GeneratedLogs.Create(definition, seed.Get, entities.Get % 40)
            .Select(e => new FunnelEvent(Key(e.EntityId, numericKeys), e.Stage, e.At, e.LossReason, e.Segment))
            .OrderBy(_ => random.Next())
            .ToList();
        var window = TimeSpan.FromSeconds(new long[] { 0, 59, 600, 3600, 86_400, 10_000_000 }[windowChoice % 6]);
        store.DeleteAsync(definition).GetAwaiter().GetResult();
        foreach (var batch in events.Chunk(1 + random.Next(30)))
        {
            store.AppendAsync(definition, batch).GetAwaiter().GetResult();
        }

        var pushed = store.ComputeAggregatesAsync(definition, window).GetAwaiter().GetResult();
        var engine = new TransitionAnalyzer(definition, window).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));
        return engine.Equals(pushed);
    }

    [Fact]
    public async Task RowsOfOneLead_AppendedInSeveralBatchesAndAppends_LandOnOneShard()
    {
        var store = NewStore(batchSize: 7);
        await store.EnsureCreatedAsync();
        var definition = GeneratedLogs.Definition("shards");
        var events = GeneratedLogs.Create(definition, seed: 3, entities: 60);
        foreach (var part in events.Chunk(50))
        {
            await store.AppendAsync(definition, part);
        }

        var onShard1 = await EntitiesOnAsync(ClickHouseTestServer.Shard1);
        var onShard2 = await EntitiesOnAsync(ClickHouseTestServer.Shard2);

        Assert.NotEmpty(onShard1);
        Assert.NotEmpty(onShard2);
        Assert.Empty(onShard1.Intersect(onShard2));
        Assert.Equal(events.Select(e => e.EntityId).ToHashSet(), onShard1.Union(onShard2).ToHashSet());
        Assert.Equal(events.Count, await store.CountAsync(definition));
        Assert.Equal(Analyze(definition, events, TimeSpan.FromHours(1)), await store.ComputeAggregatesAsync(definition, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task ShardStoppedDuringAndBeforeAQuery_GivesAClearError_AndAFailedAppendLeavesNothingVisible()
    {
        var store = NewStore();
        await store.EnsureCreatedAsync();
        var definition = GeneratedLogs.Definition("down");
        var events = GeneratedLogs.Create(definition, seed: 5, entities: 2_000);
        await store.AppendAsync(definition, events);

        // The push-down starts, then shard 2 goes down: the query either finished first (then it is right) or fails
        // with an error that names the server; the next query, with the shard surely down, must fail that way.
        var expected = Analyze(definition, events, TimeSpan.FromHours(1));
        var running = store.ComputeAggregatesAsync(definition, TimeSpan.FromHours(1));
        ClickHouseTestServer.Shard(2, "stop");
        FunnelStorageException query, append;
        try
        {
            try
            {
                Assert.Equal(expected, await running);
            }
            catch (FunnelStorageException during)
            {
                Assert.Contains("ClickHouse server http://127.0.0.1:", during.Message, StringComparison.Ordinal);
            }

            query = await Assert.ThrowsAsync<FunnelStorageException>(() => store.ComputeAggregatesAsync(definition, TimeSpan.FromHours(1)));
            append = await Assert.ThrowsAsync<FunnelStorageException>(() => store.AppendAsync(definition, GeneratedLogs.Create(definition, seed: 6, entities: 40)));
        }
        finally
        {
            ClickHouseTestServer.Shard(2, "start");
        }

        Assert.Contains("ClickHouse server http://127.0.0.1:", query.Message, StringComparison.Ordinal);
        Assert.Contains("funnel_events", append.Message, StringComparison.Ordinal);

        // Shard 1 may hold its part of the failed append, but no commit row names it: nothing of it is read.
        Assert.Equal(events.Count, await store.CountAsync(definition));
        Assert.Equal(expected, await store.ComputeAggregatesAsync(definition, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task KeyThatDoesNotFitTheInt64Column_IsRefusedNamingTheColumn_AndNothingOfTheAppendIsVisible()
    {
        var store = NewStore(ClickHouseEntityKeyType.Numeric, batchSize: 2);
        await store.EnsureCreatedAsync();
        var definition = GeneratedLogs.Definition("numeric");
        FunnelEvent[] events = [new("-5", "lead", T0), new("42", "lead", T0), new("42", "qualified", T0.AddHours(1)), new("007", "lead", T0)];

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => store.AppendAsync(definition, events));

        Assert.Contains("'007'", error.Message, StringComparison.Ordinal);
        Assert.Contains("entity_id (Int64)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await store.CountAsync(definition));
        Assert.Equal(3, await store.AppendAsync(definition, events[..3]));
        var read = new List<FunnelEvent>();
        await foreach (var chunk in store.ReadAsync(definition))
        {
            read.AddRange(chunk.ToEvents());
        }

        Assert.Equal(["-5", "42", "42"], read.Select(e => e.EntityId));
    }

    [Fact]
    public async Task WrongClusterName_IsRefusedNamingTheClusterAndTheServer()
    {
        var store = _database.Store(cluster: "no_such_cluster");
        _stores.Add(store);

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => store.EnsureCreatedAsync());

        Assert.Contains("Cluster 'no_such_cluster' is not defined on ClickHouse server http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains(ClickHouseTestServer.Cluster, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableOfAnotherSchema_IsRefusedNamingTheTableAndColumn()
    {
        await ClickHouseTestServer.ExecuteAsync(_database.Nodes[0], "CREATE TABLE funnel_events_local (funnel_key String, entity_id String, stage String) ENGINE = MergeTree() ORDER BY funnel_key");

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => NewStore().EnsureCreatedAsync());

        Assert.Contains("Table funnel_events_local on ClickHouse server", error.Message, StringComparison.Ordinal);
        Assert.Contains("column stage is String, not Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyTypeOtherThanTheTables_IsRefusedNamingTheColumn()
    {
        await NewStore(ClickHouseEntityKeyType.Text).EnsureCreatedAsync();

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => NewStore(ClickHouseEntityKeyType.Numeric).EnsureCreatedAsync());

        Assert.Contains("column entity_id is String, not Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_IsReportedNamingTheServer()
    {
        await using var store = new ClickHouseEventLogStore("Host=127.0.0.1;Port=1;Username=default;Password=");

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => store.CountAsync(GeneratedLogs.Definition("x")));

        Assert.True(error.Message.Contains("ClickHouse server http://127.0.0.1:1 (database 'default') is unreachable", StringComparison.Ordinal), error.Message);
    }

    private static string Key(string id, bool numeric) =>
        numeric
            ? ((long)(uint)id.GetHashCode(StringComparison.Ordinal) * (id.Length % 2 == 0 ? -1 : 1)).ToString(CultureInfo.InvariantCulture)
            : "k'\\\"\t " + id + " ü";

    private static TransitionReport Analyze(FunnelDefinition definition, IReadOnlyList<FunnelEvent> events, TimeSpan window) =>
        new TransitionAnalyzer(definition, window).Analyze(TransitionLog.FromEvents(events, definition, new EntityInterner<string>()));

    private async Task<HashSet<string>> EntitiesOnAsync(string shard) =>
        (await ClickHouseTestServer.QueryAsync(ClickHouseTestServer.WithDatabase(shard, _database.Name), "SELECT DISTINCT entity_id FROM funnel_events_local"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    private ClickHouseEventLogStore NewStore(ClickHouseEntityKeyType keyType = ClickHouseEntityKeyType.Text, int batchSize = ClickHouseEventLogOptions.DefaultBatchSize)
    {
        var store = _database.Store(keyType, batchSize);
        _stores.Add(store);
        return store;
    }
}
