using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Npgsql;

namespace Funnel.Storage.PostgreSql;

/// <summary>
/// A <see cref="JourneyStore"/> in PostgreSQL: journeys, their history and their outbox messages, with optimistic
/// concurrency on <see cref="Journey.Version"/> (a conditional <c>UPDATE … WHERE version = @expected</c> under READ
/// COMMITTED). Call <see cref="JourneyStore.EnsureCreatedAsync"/> once at start-up.
/// </summary>
/// <remarks>
/// Thread-safe: each call takes its own connection from the <see cref="NpgsqlDataSource"/> pool. Several processes
/// may share the database; migrations serialise on an advisory lock.
/// </remarks>
/// <example><code>
/// await using var store = new PostgreSqlJourneyStore("Host=db;Database=crm;Username=app;Password=…", JourneyStoreOptions.For(FunnelTemplates.Aida));
/// await store.EnsureCreatedAsync();
/// </code></example>
public sealed class PostgreSqlJourneyStore : JourneyStore
{
    private readonly PostgreSqlDialect _dialect;
    private readonly SqlJourneyEngine _engine;
    private readonly bool _ownsDataSource;

    /// <summary>Creates a store over a connection string; the store owns the data source it builds and disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public PostgreSqlJourneyStore(string connectionString, JourneyStoreOptions options)
        : this(NpgsqlDataSource.Create(Check(connectionString)), options, ownsDataSource: true)
    {
    }

    /// <summary>Creates a store over an existing data source, which the caller keeps and disposes.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PostgreSqlJourneyStore(NpgsqlDataSource dataSource, JourneyStoreOptions options)
        : this(dataSource, options, ownsDataSource: false)
    {
    }

    private PostgreSqlJourneyStore(NpgsqlDataSource dataSource, JourneyStoreOptions options, bool ownsDataSource)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dialect = new PostgreSqlDialect(dataSource);
        _engine = new SqlJourneyEngine(_dialect, ResolveDefinition);
        _ownsDataSource = ownsDataSource;
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

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        if (_ownsDataSource)
        {
            await _dialect.DataSource.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private static string Check(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return connectionString;
    }
}
