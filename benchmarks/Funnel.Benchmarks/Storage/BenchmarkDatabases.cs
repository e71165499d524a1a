using Funnel.Storage.PostgreSql;
using Funnel.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Funnel.Benchmarks.Storage;

/// <summary>A temporary SQLite file and a temporary PostgreSQL schema for one benchmark class.</summary>
internal sealed class BenchmarkDatabases
{
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), "funnel-bench-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly string _schema = "funnel_bench_" + Guid.NewGuid().ToString("N");

    public string SqliteConnectionString => "Data Source=" + _sqlitePath + ";Default Timeout=600";

    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(StorageBenchmarkData.PostgresConnectionString) { SearchPath = _schema, CommandTimeout = 600 }.ToString();

    public SqliteEventLogStore Sqlite { get; private set; } = null!;

    public PostgreSqlEventLogStore Postgres { get; private set; } = null!;

    public async Task CreateAsync()
    {
        await ExecutePostgresAsync("CREATE SCHEMA " + _schema);
        Sqlite = new SqliteEventLogStore(SqliteConnectionString);
        Postgres = new PostgreSqlEventLogStore(PostgresConnectionString);
        await Sqlite.EnsureCreatedAsync();
        await Postgres.EnsureCreatedAsync();
    }

    public async Task DropAsync()
    {
        await Sqlite.DisposeAsync();
        await Postgres.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_sqlitePath + suffix);
        }

        await ExecutePostgresAsync("DROP SCHEMA IF EXISTS " + _schema + " CASCADE");
    }

    /// <summary>Runs one statement on the server named by <see cref="StorageBenchmarkData.PostgresConnectionString"/>.</summary>
    public static async Task ExecutePostgresAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(StorageBenchmarkData.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
