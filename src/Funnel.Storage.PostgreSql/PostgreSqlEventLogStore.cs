using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Npgsql;

namespace Funnel.Storage.PostgreSql;

/// <summary>
/// An <see cref="EventLogStore"/> in PostgreSQL: events are appended through binary <c>COPY</c> inside one
/// transaction, read back in chunks, and aggregated in SQL that also runs on Citus with <c>funnel_events</c>
/// distributed by <c>entity_id</c> (see docs/scale-out.md).
/// </summary>
/// <remarks>Thread-safe: each call takes its own connection from the <see cref="NpgsqlDataSource"/> pool.</remarks>
public sealed class PostgreSqlEventLogStore : DelegatingEventLogStore
{
    /// <summary>Creates a store over a connection string; the store owns the data source it builds and disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    public PostgreSqlEventLogStore(string connectionString, TimeProvider? timeProvider = null)
        : base(new SqlEventLogStore(PostgreSqlDialect.Create(connectionString), timeProvider ?? TimeProvider.System)) =>
        TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Creates a store over an existing data source, which the caller keeps and disposes.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgreSqlEventLogStore(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null)
        : base(new SqlEventLogStore(new PostgreSqlDialect(dataSource, ownsDataSource: false), timeProvider ?? TimeProvider.System)) =>
        TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets the clock for bookkeeping times.</summary>
    public TimeProvider TimeProvider { get; }
}
