namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// Where the PostgreSQL tests find their server: the connection string in <see cref="Variable"/>, which
/// <c>eng/postgres.sh</c> sets. The tests never skip: without the variable, or with the server unreachable, they fail
/// with a message that says how to start one.
/// </summary>
internal static class PostgreSqlTestServer
{
    public const string Variable = "FUNNEL_POSTGRES_TEST_CONNECTION";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: set {Variable} to an Npgsql connection string, for example by running " +
                "`eval \"$(eng/postgres.sh start)\"` in the repository root (stop it with `eng/postgres.sh stop`), " +
                "or run everything with `eng/postgres.sh run -- dotnet test Funnel.Core.sln`.");
}
