using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>Creates and migrates the schema through the <c>funnel_schema</c> version table, in one transaction.</summary>
internal static class SchemaMigrator
{
    public static async Task<int> EnsureCreatedAsync(SqlDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await dialect.BeforeMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (dialect.MigrationLockSql is { } lockSql)
                {
                    await Execute(Sql.Command(connection, transaction, lockSql), cancellationToken).ConfigureAwait(false);
                }

                await Execute(
                    Sql.Command(connection, transaction, "CREATE TABLE IF NOT EXISTS funnel_schema (version integer NOT NULL PRIMARY KEY, applied_ticks bigint NOT NULL)"),
                    cancellationToken).ConfigureAwait(false);
                var current = 0;
                var read = Sql.Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM funnel_schema");
                await using (read.ConfigureAwait(false))
                {
                    current = (int)Sql.ToLong(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0);
                }

                var target = dialect.Migrations.Count;
                if (current > target)
                {
                    throw new FunnelStorageException(
                        $"The database schema is at version {current}, newer than version {target} that this library knows; update the Funnel.Storage package.");
                }

                for (var version = current; version < target; version++)
                {
                    foreach (var statement in dialect.Migrations[version])
                    {
                        await Execute(Sql.Command(connection, transaction, statement), cancellationToken).ConfigureAwait(false);
                    }

                    await Execute(
                        Sql.Command(connection, transaction, "INSERT INTO funnel_schema (version, applied_ticks) VALUES (@v, @t)")
                            .With("@v", version + 1)
                            .With("@t", time.GetUtcNow().UtcTicks),
                        cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return target;
            }
        }
    }

    public static async Task<StoreSchemaStatus> ReadStatusAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var exists = Sql.Command(connection, null, dialect.SchemaTableExistsSql);
            await using (exists.ConfigureAwait(false))
            {
                if (Sql.ToLong(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0) == 0)
                {
                    return new StoreSchemaStatus(0, dialect.Migrations.Count);
                }
            }

            var read = Sql.Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM funnel_schema");
            await using (read.ConfigureAwait(false))
            {
                var current = (int)Sql.ToLong(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0);
                return new StoreSchemaStatus(current, dialect.Migrations.Count);
            }
        }
    }

    private static async Task Execute(System.Data.Common.DbCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
