namespace Funnel.Storage.ClickHouse;

/// <summary>Where and how a <see cref="ClickHouseEventLogStore"/> keeps its event logs.</summary>
/// <remarks>The store copies the values when it is created; changing the options afterwards has no effect on it.</remarks>
public sealed record ClickHouseEventLogOptions
{
    /// <summary>The default <see cref="BatchSize"/>: 1,000,000 rows per insert.</summary>
    public const int DefaultBatchSize = 1_000_000;

    /// <summary>
    /// Gets the ClickHouse.Driver connection string of the server the store talks to (over HTTP), for example
    /// <c>Host=127.0.0.1;Port=8123;Username=default;Password=;Database=default</c>. On a cluster this is the
    /// initiator: any node of the cluster. The store turns compression and the JSON modes off, which servers from
    /// 18.16 on accept.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// Gets the name of the cluster (a <c>remote_servers</c> entry of the servers' configuration) to shard the log
    /// over, or <see langword="null"/> (the default) for a single server with plain MergeTree tables.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// Gets the connection strings of every node of <see cref="Cluster"/>, on which
    /// <see cref="Funnel.Core.Storage.EventLogStore.EnsureCreatedAsync"/> creates the local tables and the
    /// Distributed tables (servers without ZooKeeper have no <c>ON CLUSTER</c> DDL). Not used without a cluster.
    /// </summary>
    public IReadOnlyList<string> NodeConnectionStrings { get; init; } = [];

    /// <summary>Gets the type of the entity key column; <see cref="ClickHouseEntityKeyType.Text"/> by default.</summary>
    public ClickHouseEntityKeyType KeyType { get; init; } = ClickHouseEntityKeyType.Text;

    /// <summary>Gets the number of rows sent per insert (one HTTP request); 1 to 100,000,000; <see cref="DefaultBatchSize"/> by default.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;
}
