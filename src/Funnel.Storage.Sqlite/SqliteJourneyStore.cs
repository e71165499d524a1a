using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite;

/// <summary>
/// A <see cref="JourneyStore"/> in a SQLite database file: journeys, their history and their outbox messages, with
/// optimistic concurrency on <see cref="Journey.Version"/>. Call <see cref="JourneyStore.EnsureCreatedAsync"/> once
/// at start-up.
/// </summary>
/// <remarks>
/// <para>Thread-safe: each call opens its own (pooled) connection. Writers serialise on SQLite's database lock
/// (<c>BEGIN IMMEDIATE</c>, waiting up to the connection string's <c>Default Timeout</c>, 30 s by default); readers
/// work alongside in WAL mode. Several processes may share the file.</para>
/// <para>Use a file data source (<c>Data Source=funnel.db</c>). A private in-memory database is per connection and
/// would look empty to the next call.</para>
/// </remarks>
/// <example><code>
/// await using var store = new SqliteJourneyStore("Data Source=funnel.db", JourneyStoreOptions.For(FunnelTemplates.Aida));
/// await store.EnsureCreatedAsync();
/// await store.InsertAsync(Journey.Start(FunnelTemplates.Aida, "lead-1", at));
/// </code></example>
public sealed class SqliteJourneyStore : JourneyStore
{
    private readonly SqliteDialect _dialect;
    private readonly SqlJourneyEngine _engine;

    /// <summary>Creates a store over a SQLite connection string.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=funnel.db</c>.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public SqliteJourneyStore(string connectionString, JourneyStoreOptions options)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dialect = new SqliteDialect(connectionString);
        _engine = new SqlJourneyEngine(_dialect, ResolveDefinition);
    }

    /// <inheritdoc />
    protected override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.EnsureCreatedAsync(_dialect, Options.TimeProvider, cancellationToken);

    /// <inheritdoc />
    protected override Task<JourneySaveResult> InsertCoreAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        _engine.InsertAsync(journey, outbox, cancellationToken);

    /// <inheritdoc />
    protected override Task<JourneySaveResult> SaveCoreAsync(Journey journey, long expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        _engine.SaveAsync(journey, expectedVersion, outbox, cancellationToken);

    /// <inheritdoc />
    protected override Task<Journey?> LoadCoreAsync(string journeyId, CancellationToken cancellationToken) =>
        _engine.LoadAsync(journeyId, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<Journey>> QueryCoreAsync(JourneyQuery query, CancellationToken cancellationToken) =>
        _engine.QueryAsync(query, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<Journey>> FindIdleCoreAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit, CancellationToken cancellationToken) =>
        _engine.FindIdleAsync(definition, asOf, limit, cancellationToken);

    /// <inheritdoc />
    protected override Task<ImmutableArray<JourneyTransition>> GetHistoryCoreAsync(string journeyId, CancellationToken cancellationToken) =>
        _engine.GetHistoryAsync(journeyId, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<OutboxEntry>> ReadOutboxCoreAsync(int maxCount, bool includeAcknowledged, CancellationToken cancellationToken) =>
        _engine.ReadOutboxAsync(maxCount, includeAcknowledged, cancellationToken);

    /// <inheritdoc />
    protected override Task<int> AcknowledgeOutboxCoreAsync(IReadOnlyList<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken) =>
        _engine.AcknowledgeOutboxAsync(ids, acknowledgedAt, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxCoreAsync(int maxCount, CancellationToken cancellationToken) =>
        _engine.ReadDeliverableOutboxAsync(maxCount, cancellationToken);

    /// <inheritdoc />
    protected override Task<bool> RecordOutboxFailureCoreAsync(long id, string errorText, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken) =>
        _engine.RecordOutboxFailureAsync(id, errorText, nextAttemptAt, park, cancellationToken);

    /// <inheritdoc />
    protected override Task<OutboxStatus> GetOutboxStatusCoreAsync(CancellationToken cancellationToken) =>
        _engine.GetOutboxStatusAsync(cancellationToken);

    /// <inheritdoc />
    protected override Task<StoreSchemaStatus> GetSchemaStatusCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.ReadStatusAsync(_dialect, cancellationToken);
}
