using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;

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
public sealed class SqliteJourneyStore : DelegatingJourneyStore
{
    /// <summary>Creates a store over a SQLite connection string.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=funnel.db</c>.</param>
    /// <param name="options">The definition resolver and limits.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public SqliteJourneyStore(string connectionString, JourneyStoreOptions options)
        : base(new SqlJourneyStore(new SqliteDialect(connectionString), options))
    {
    }
}
