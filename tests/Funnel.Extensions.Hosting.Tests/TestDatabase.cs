using Funnel.Extensions.DependencyInjection;
using Funnel.Storage.PostgreSql.DependencyInjection;
using Funnel.Storage.Sqlite.DependencyInjection;
using Npgsql;

namespace Funnel.Extensions.Hosting.Tests;

/// <summary>A real database for one test: a SQLite file in a temporary folder, or a fresh schema on the PostgreSQL test server.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Gets the connection string of this database (a SQLite file, or a PostgreSQL schema as search path).</summary>
    public abstract string ConnectionString { get; }

    public abstract FunnelBuilder AddStore(FunnelBuilder builder);

    public abstract ValueTask DisposeAsync();

    public static async Task<TestDatabase> CreateAsync(string kind) => kind switch
    {
        "sqlite" => new SqliteDatabase(),
        "postgresql" => await PostgreSqlDatabase.CreateAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "sqlite or postgresql"),
    };

    private sealed class SqliteDatabase : TestDatabase
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("funnel-hosting-").FullName;

        public override string Name => "sqlite";

        public override string ConnectionString => $"Data Source={Path.Combine(_folder, "funnel.db")};Pooling=False";

        public override FunnelBuilder AddStore(FunnelBuilder builder) => builder.AddSqliteStore(ConnectionString);

        public override ValueTask DisposeAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgreSqlDatabase : TestDatabase
    {
        private readonly string _schema = "funnel_hosting_" + Guid.NewGuid().ToString("N");

        public override string Name => "postgresql";

        public override string ConnectionString => new NpgsqlConnectionStringBuilder(Funnel.Storage.PostgreSql.Tests.PostgreSqlTestServer.ConnectionString) { SearchPath = _schema }.ToString();

        public static async Task<TestDatabase> CreateAsync()
        {
            var database = new PostgreSqlDatabase();
            await ExecuteAsync($"CREATE SCHEMA {database._schema}");
            return database;
        }

        public override FunnelBuilder AddStore(FunnelBuilder builder) => builder.AddPostgreSqlStore(ConnectionString);

        public override async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

        private static async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(Funnel.Storage.PostgreSql.Tests.PostgreSqlTestServer.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
