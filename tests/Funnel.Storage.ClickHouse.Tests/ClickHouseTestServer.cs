using System.Diagnostics;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;

namespace Funnel.Storage.ClickHouse.Tests;

/// <summary>
/// Where the ClickHouse tests find their two-shard cluster: the variables <c>eng/clickhouse.sh start</c> exports. The
/// tests never skip: without them they fail with a message that says how to start the cluster.
/// </summary>
internal static class ClickHouseTestServer
{
    public const string Variable = "FUNNEL_CLICKHOUSE_TEST_CONNECTION";

    private const string HowToStart =
        "`eval \"$(eng/clickhouse.sh start)\"` in the repository root (stop it with `eng/clickhouse.sh stop`), " +
        "or run the tests with `eng/clickhouse.sh run -- dotnet test tests/Funnel.Storage.ClickHouse.Tests -c Release`.";

    /// <summary>The connection string of shard 1, the initiator.</summary>
    public static string Shard1 => Get(Variable);

    /// <summary>The connection string of shard 2.</summary>
    public static string Shard2 => Get("FUNNEL_CLICKHOUSE_TEST_CONNECTION2");

    /// <summary>The cluster's name in both servers' remote_servers.</summary>
    public static string Cluster => Get("FUNNEL_CLICKHOUSE_TEST_CLUSTER");

    public static string WithDatabase(string connectionString, string database) =>
        new ClickHouseConnectionStringBuilder(connectionString) { Database = database }.ToString();

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        using var client = new ClickHouseClient(Settings(connectionString));
        await client.ExecuteNonQueryAsync(sql, null, null, CancellationToken.None);
    }

    public static async Task<string> QueryAsync(string connectionString, string sql)
    {
        using var client = new ClickHouseClient(Settings(connectionString));
        using var result = await client.ExecuteRawResultAsync(sql + " FORMAT TabSeparated", null, CancellationToken.None);
        return (await result.ReadAsStringAsync()).Trim();
    }

    /// <summary>Stops or starts one shard through eng/clickhouse.sh (the shard-down test).</summary>
    public static void Shard(int node, string action)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "clickhouse.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "shard", node.ToString(System.Globalization.CultureInfo.InvariantCulture), action, Get("FUNNEL_CLICKHOUSE_TEST_DIR")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/clickhouse.sh shard {node} {action} failed: {error}");
        }
    }

    private static ClickHouseClientSettings Settings(string connectionString) =>
        new(new ClickHouseClientSettings(connectionString)) { UseCompression = false, JsonReadMode = JsonReadMode.None, JsonWriteMode = JsonWriteMode.None };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Funnel.Core.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Funnel.Core.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static string Get(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The ClickHouse tests need the two-shard test cluster: set {variable} by running " + HowToStart);
}
