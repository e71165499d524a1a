using Funnel.Core.Storage;
using Funnel.Storage.Specification;

namespace Funnel.Storage.ClickHouse.Tests;

/// <summary>The event-log specification on one ClickHouse server (plain MergeTree tables), a fresh database per test.</summary>
public sealed class ClickHouseSingleNodeSpecificationTests : EventLogStoreSpecification
{
    private readonly string _database = "funnel_" + Guid.NewGuid().ToString("N");

    protected override Task CreateDatabaseAsync() => ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "CREATE DATABASE " + _database);

    protected override Task DropDatabaseAsync() => ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "DROP DATABASE IF EXISTS " + _database);

    protected override EventLogStore CreateEventLogStore() => new ClickHouseEventLogStore(ClickHouseTestServer.WithDatabase(ClickHouseTestServer.Shard1, _database));
}

/// <summary>The event-log specification on the two-shard cluster: Distributed tables over local MergeTree tables on both servers.</summary>
[Collection(ClusterTests.Name)]
public sealed class ClickHouseClusterSpecificationTests : EventLogStoreSpecification
{
    private readonly ClusterDatabase _database = new();

    protected override Task CreateDatabaseAsync() => _database.CreateAsync();

    protected override Task DropDatabaseAsync() => _database.DropAsync();

    protected override EventLogStore CreateEventLogStore() => _database.Store();
}

/// <summary>The cluster tests run one after another: one of them stops a shard.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTests
{
    public const string Name = "ClickHouse cluster";
}

/// <summary>A fresh database of the same name on both shards, and stores over it.</summary>
internal sealed class ClusterDatabase
{
    public string Name { get; } = "funnel_" + Guid.NewGuid().ToString("N");

    public string[] Nodes => [ClickHouseTestServer.WithDatabase(ClickHouseTestServer.Shard1, Name), ClickHouseTestServer.WithDatabase(ClickHouseTestServer.Shard2, Name)];

    public async Task CreateAsync()
    {
        await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "CREATE DATABASE " + Name);
        await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard2, "CREATE DATABASE " + Name);
    }

    public async Task DropAsync()
    {
        await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard1, "DROP DATABASE IF EXISTS " + Name);
        await ClickHouseTestServer.ExecuteAsync(ClickHouseTestServer.Shard2, "DROP DATABASE IF EXISTS " + Name);
    }

    public ClickHouseEventLogStore Store(ClickHouseEntityKeyType keyType = ClickHouseEntityKeyType.Text, int batchSize = ClickHouseEventLogOptions.DefaultBatchSize, string? cluster = null) =>
        new(new ClickHouseEventLogOptions
        {
            ConnectionString = Nodes[0],
            Cluster = cluster ?? ClickHouseTestServer.Cluster,
            NodeConnectionStrings = Nodes,
            KeyType = keyType,
            BatchSize = batchSize,
        });
}
