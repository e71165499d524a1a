using System.Data;
using System.Data.Common;
using Funnel.Storage.Internal;
using Npgsql;

namespace Funnel.Storage.PostgreSql;

/// <summary>PostgreSQL specifics: bigserial keys, an advisory lock around migrations, C-collation ordering of ids.</summary>
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

    public PostgreSqlDialect(NpgsqlDataSource dataSource) => DataSource = dataSource;

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
}
