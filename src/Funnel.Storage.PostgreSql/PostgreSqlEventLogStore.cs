using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Storage.PostgreSql;

/// <summary>
/// An <see cref="EventLogStore"/> in PostgreSQL: events are appended through binary <c>COPY</c> inside one
/// transaction, read back in chunks, and aggregated in SQL that also runs on Citus with <c>funnel_events</c>
/// distributed by <c>entity_id</c> (see docs/scale-out.md).
/// </summary>
/// <remarks>Thread-safe: each call takes its own connection from the <see cref="NpgsqlDataSource"/> pool.</remarks>
public sealed class PostgreSqlEventLogStore : EventLogStore
{
    private readonly PostgreSqlDialect _dialect;
    private readonly SqlEventLogEngine _engine;
    private readonly bool _ownsDataSource;

    /// <summary>Creates a store over a connection string; the store owns the data source it builds and disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    public PostgreSqlEventLogStore(string connectionString, TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(Check(connectionString)), timeProvider, ownsDataSource: true)
    {
    }

    /// <summary>Creates a store over an existing data source, which the caller keeps and disposes.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgreSqlEventLogStore(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null)
        : this(dataSource, timeProvider, ownsDataSource: false)
    {
    }

    private PostgreSqlEventLogStore(NpgsqlDataSource dataSource, TimeProvider? timeProvider, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dialect = new PostgreSqlDialect(dataSource);
        _engine = new SqlEventLogEngine(_dialect);
        _ownsDataSource = ownsDataSource;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the clock for bookkeeping times.</summary>
    public TimeProvider TimeProvider { get; }

    /// <inheritdoc />
    protected override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.EnsureCreatedAsync(_dialect, TimeProvider, cancellationToken);

    /// <inheritdoc />
    protected override async Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
    {
        var connection = await _dialect.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long count = 0;
                var writer = await connection.BeginBinaryImportAsync(
                    "COPY funnel_events (funnel_key, entity_id, stage, at, reason, segment) FROM STDIN (FORMAT BINARY)",
                    cancellationToken).ConfigureAwait(false);
                await using (writer.ConfigureAwait(false))
                {
                    // Disposing the importer without Complete cancels the COPY, so a bad row leaves nothing behind.
                    while (rows.Read())
                    {
                        await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                        await writer.WriteAsync(definition.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await writer.WriteAsync(rows.EntityId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await writer.WriteAsync(rows.Stage, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                        await writer.WriteAsync(rows.Timestamp, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                        if (rows.LossReason < 0)
                        {
                            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await writer.WriteAsync(rows.LossReason, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                        }

                        if (rows.Segment is null)
                        {
                            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await writer.WriteAsync(rows.Segment, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        }

                        count++;
                    }

                    await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return count;
            }
        }
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<EventLogChunk> ReadCoreAsync(FunnelDefinition definition, int chunkSize, CancellationToken cancellationToken) =>
        _engine.ReadAsync(definition, chunkSize, cancellationToken);

    /// <inheritdoc />
    protected override Task<long> CountCoreAsync(string funnelKey, CancellationToken cancellationToken) => _engine.CountAsync(funnelKey, cancellationToken);

    /// <inheritdoc />
    protected override Task<long> DeleteCoreAsync(string funnelKey, CancellationToken cancellationToken) => _engine.DeleteAsync(funnelKey, cancellationToken);

    /// <inheritdoc />
    protected override Task<TransitionReport> ComputeAggregatesCoreAsync(FunnelDefinition definition, long windowSeconds, CancellationToken cancellationToken) =>
        _engine.ComputeAsync(definition, windowSeconds, cancellationToken);

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
