namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// Where the PostgreSQL tests find their server: the connection string in <see cref="Variable"/>, which
/// <c>eng/postgres.sh</c> sets. The tests never skip: without the variable, or with the server unreachable, they fail
/// with a message that says how to start one.
/// </summary>
internal static class PostgreSqlTestServer
{
    public const string Variable = "FUNNEL_POSTGRES_TEST_CONNECTION";

    /// <summary>The cluster directory of the private server, which <c>eng/postgres.sh restart</c> needs.</summary>
    public const string DirectoryVariable = "FUNNEL_POSTGRES_TEST_DIR";

    private const string HowToStart =
        "`eval \"$(eng/postgres.sh start)\"` in the repository root (stop it with `eng/postgres.sh stop`), " +
        "or run everything with `eng/postgres.sh run -- dotnet test Funnel.Core.sln`.";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The PostgreSQL tests need a server: set {Variable} to an Npgsql connection string, for example by running " + HowToStart);

    /// <summary>The private cluster's directory; only the server-restart test needs it (it restarts the server).</summary>
    public static string ClusterDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"The server-restart test restarts the private server that eng/postgres.sh started and needs {DirectoryVariable} (its cluster directory), " +
                "which the script exports next to " + Variable + ": start the server with " + HowToStart);
}
