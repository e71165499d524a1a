using System.Data.Common;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite;

/// <summary>SQLite specifics: WAL journal, BEGIN IMMEDIATE for writes, BINARY ordering, a prepared insert for appends.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    private static readonly IReadOnlyList<string[]> Scripts =
    [
        SchemaScripts.Version1("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER PRIMARY KEY"),

        // SQLite indexes keys of any length, so the version 1 index on (name, value) stays.
        SchemaScripts.Version2(),
        SchemaScripts.Version3(),
    ];

    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Validates the connection string early, with the provider's own message.
        _ = new SqliteConnectionStringBuilder(connectionString);
        _connectionString = connectionString;
    }

    public override IReadOnlyList<string[]> Migrations => Scripts;

    public override string? MigrationLockSql => null;

    public override string AttributeValueMatch => "a.value = @avalue";

    public override string OrdinalId => "j.id";

    public override string SchemaTableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'funnel_schema'";

    public override async Task BeforeMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers work while one writer commits; the setting is stored in the database file.
        var command = Sql.Command(connection, null, "PRAGMA journal_mode=WAL");
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // BEGIN IMMEDIATE takes the write lock at once, so two writers never both read and then fail to upgrade.
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // A deferred transaction reads one snapshot (WAL) without blocking writers.
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // One prepared insert re-bound per row inside a single BEGIN IMMEDIATE transaction.
    public override async Task<long> AppendEventsAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
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
}
