using Funnel.Core.Storage;
using Funnel.Storage.Specification;
using Npgsql;

namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// Runs the whole conformance suite against the real PostgreSQL server named by FUNNEL_POSTGRES_TEST_CONNECTION,
/// in a new schema per test (dropped afterwards).
/// </summary>
public sealed class PostgreSqlJourneyStoreTests : JourneyStoreSpecification
{
    private readonly string _schema = "funnel_test_" + Guid.NewGuid().ToString("N");

    private string ConnectionString => new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString) { SearchPath = _schema }.ToString();

    protected override async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task DropDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override JourneyStore CreateStore(JourneyStoreOptions options) => new PostgreSqlJourneyStore(ConnectionString, options);

    protected override EventLogStore CreateEventLogStore() => new PostgreSqlEventLogStore(ConnectionString);

    protected override async Task InstallOutboxFailureAsync(string poisonPayload)
    {
        Assert.Matches("^[a-z]+$", poisonPayload);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"CREATE FUNCTION {_schema}.test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            $"IF NEW.payload = '{poisonPayload}' THEN RAISE EXCEPTION 'poisoned outbox message'; END IF; RETURN NEW; END $$; " +
            $"CREATE TRIGGER test_poison BEFORE INSERT ON {_schema}.funnel_outbox FOR EACH ROW EXECUTE FUNCTION {_schema}.test_poison();",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override (string OutboxId, string EventSequence) Version1IdentityColumns => ("bigserial PRIMARY KEY", "bigserial NOT NULL");

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Store_UnreachableServer_FailsInsteadOfSkipping()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString) { Port = 1, Timeout = 2 }.ToString();
        await using var store = new PostgreSqlJourneyStore(unreachable, DefaultOptions);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.EnsureCreatedAsync());
    }

    [Fact]
    public async Task EnsureCreated_RecordsTheVersionInTheSchemaTable()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT array_agg(version ORDER BY version) FROM funnel_schema", connection);
        var versions = (int[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(new[] { 1, 2, 3 }, versions);
    }
}
