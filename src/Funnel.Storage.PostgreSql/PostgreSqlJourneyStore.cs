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
public sealed class PostgreSqlJourneyStore : DelegatingJourneyStore
{
    /// <summary>Creates a store over a connection string; the store owns the data source it builds and disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public PostgreSqlJourneyStore(string connectionString, JourneyStoreOptions options)
        : base(new SqlJourneyStore(PostgreSqlDialect.Create(connectionString), options))
    {
    }

    /// <summary>Creates a store over an existing data source, which the caller keeps and disposes.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PostgreSqlJourneyStore(NpgsqlDataSource dataSource, JourneyStoreOptions options)
        : base(new SqlJourneyStore(new PostgreSqlDialect(dataSource, ownsDataSource: false), options))
    {
    }
}
