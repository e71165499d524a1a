using System.Data;
using System.Data.Common;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Storage.PostgreSql;

/// <summary>PostgreSQL specifics: bigserial keys, an advisory lock around migrations, C-collation ordering of ids, binary COPY for appends.</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    private static readonly IReadOnlyList<string[]> Scripts =
    [
        SchemaScripts.Version1("bigserial PRIMARY KEY", "bigserial NOT NULL"),

        // A B-tree entry holds at most 2704 bytes, and an attribute value may be 4096 characters (up to 12 KiB of
        // UTF-8): index the value's MD5 instead of the value (AttributeValueMatch then compares the text itself).
        SchemaScripts.Version2(
            "DROP INDEX ix_funnel_journey_attributes_value",
            "CREATE INDEX ix_funnel_journey_attributes_value ON funnel_journey_attributes (name, md5(value))"),
        SchemaScripts.Version3(),
    ];

    private readonly bool _ownsDataSource;

    /// <summary>Creates the dialect over a data source.</summary>
    /// <param name="dataSource">The connection pool.</param>
    /// <param name="ownsDataSource">Whether disposing the store disposes <paramref name="dataSource"/> (the store built it from a connection string).</param>
    public PostgreSqlDialect(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>Creates the dialect over a data source it builds from a connection string, and owns.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The dialect.</returns>
    public static PostgreSqlDialect Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new PostgreSqlDialect(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);
    }

    public NpgsqlDataSource DataSource { get; }

    public override IReadOnlyList<string[]> Migrations => Scripts;

    // A constant key ("funnel" in ASCII); the lock is released when the migration transaction ends.
    public override string? MigrationLockSql => "SELECT pg_advisory_xact_lock(1718972014)";

    // The MD5 comparison lets the planner use the index; the text comparison makes the match exact.
    public override string AttributeValueMatch => "md5(a.value) = md5(@avalue) AND a.value = @avalue";

    public override string OrdinalId => "j.id COLLATE \"C\"";

    public override string SchemaTableExistsSql => "SELECT CASE WHEN to_regclass('funnel_schema') IS NULL THEN 0 ELSE 1 END";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Binary COPY inside one transaction.
    public override async Task<long> AppendEventsAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
    {
        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
}
