using Funnel.Core.Storage;
using Funnel.Storage.Internal;

namespace Funnel.Storage.Sqlite;

/// <summary>
/// An <see cref="EventLogStore"/> in a SQLite database file: events are appended through one prepared insert
/// re-bound per row inside a single transaction, read back in chunks, and aggregated in SQL.
/// </summary>
/// <remarks>Thread-safe: each call opens its own (pooled) connection. An append holds SQLite's write lock until it commits.</remarks>
public sealed class SqliteEventLogStore : DelegatingEventLogStore
{
    /// <summary>Creates a store over a SQLite connection string.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=funnel.db</c>.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    public SqliteEventLogStore(string connectionString, TimeProvider? timeProvider = null)
        : base(new SqlEventLogStore(new SqliteDialect(connectionString), timeProvider ?? TimeProvider.System)) =>
        TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets the clock for bookkeeping times.</summary>
    public TimeProvider TimeProvider { get; }
}
