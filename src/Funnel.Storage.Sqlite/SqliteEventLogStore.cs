using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite;

/// <summary>
/// An <see cref="EventLogStore"/> in a SQLite database file: events are appended through one prepared insert
/// re-bound per row inside a single transaction, read back in chunks, and aggregated in SQL.
/// </summary>
/// <remarks>Thread-safe: each call opens its own (pooled) connection. An append holds SQLite's write lock until it commits.</remarks>
public sealed class SqliteEventLogStore : EventLogStore
{
    private readonly SqliteDialect _dialect;
    private readonly SqlEventLogEngine _engine;

    /// <summary>Creates a store over a SQLite connection string.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=funnel.db</c>.</param>
    /// <param name="timeProvider">The clock for bookkeeping times; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    public SqliteEventLogStore(string connectionString, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dialect = new SqliteDialect(connectionString);
        _engine = new SqlEventLogEngine(_dialect);
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
        var connection = (SqliteConnection)await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = "INSERT INTO funnel_events (funnel_key, entity_id, stage, at, reason, segment) VALUES (@f, @e, @s, @t, @r, @g)";
                    command.Parameters.AddWithValue("@f", definition.Key);
                    var entity = command.Parameters.Add("@e", SqliteType.Text);
                    var stage = command.Parameters.Add("@s", SqliteType.Integer);
                    var at = command.Parameters.Add("@t", SqliteType.Integer);
                    var reason = command.Parameters.Add("@r", SqliteType.Integer);
                    var segment = command.Parameters.Add("@g", SqliteType.Text);
                    command.Prepare();
                    long count = 0;
                    while (rows.Read())
                    {
                        if ((count & 0xFFF) == 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        entity.Value = rows.EntityId;
                        stage.Value = rows.Stage;
                        at.Value = rows.Timestamp;
                        reason.Value = rows.LossReason < 0 ? DBNull.Value : rows.LossReason;
                        segment.Value = (object?)rows.Segment ?? DBNull.Value;
                        command.ExecuteNonQuery();
                        count++;
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return count;
                }
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
}
