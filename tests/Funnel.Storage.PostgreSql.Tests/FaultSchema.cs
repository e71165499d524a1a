using Funnel.Storage.Specification;
using Npgsql;

namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// A schema of its own for one fault test, with the fault workload's tables, and connection strings tagged with an
/// application name so that the test terminates only its own backends (other tests run alongside).
/// </summary>
internal sealed class FaultSchema : IAsyncDisposable
{
    private FaultSchema(string name) => Name = name;

    public string Name { get; }

    /// <summary>The application name of the store's connections.</summary>
    public string Application => "funnel-fault-" + Name[^8..];

    /// <summary>The store's connection string: this schema, this application name, short timeouts, no pool pruning surprises.</summary>
    public string StoreConnectionString(string? options = null) =>
        new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString)
        {
            SearchPath = Name,
            ApplicationName = Application,
            Timeout = 5,
            CommandTimeout = 20,
            Options = options,
        }.ToString();

    /// <summary>Creates the schema and the store's tables.</summary>
    public static async Task<FaultSchema> CreateAsync()
    {
        var schema = new FaultSchema("funnel_fault_" + Guid.NewGuid().ToString("N"));
        await ExecuteAsync($"CREATE SCHEMA {schema.Name}");
        await using var store = new PostgreSqlJourneyStore(schema.StoreConnectionString(), FaultWorkload.Options);
        await store.EnsureCreatedAsync();
        return schema;
    }

    /// <summary>Runs a statement on a connection of its own (not tagged with <see cref="Application"/>).</summary>
    public static async Task<object?> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    /// <summary>Terminates one backend of this test's store that is inside a transaction, picked at random; returns whether there was one.</summary>
    public async Task<bool> TerminateOneInFlightAsync() =>
        await ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM pg_stat_activity " +
            "WHERE application_name = @app AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state IN ('active', 'idle in transaction') " +
            "ORDER BY random() LIMIT 1) AS victim",
            ("app", Application)) is true;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
