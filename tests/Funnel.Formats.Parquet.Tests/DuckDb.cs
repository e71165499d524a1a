using DuckDB.NET.Data;

namespace Funnel.Formats.Parquet.Tests;

/// <summary>Embedded DuckDB as the independent Parquet writer of the tests.</summary>
internal static class DuckDb
{
    /// <summary>Runs <c>COPY (query) TO 'path' (FORMAT parquet, ...)</c> on one thread, so rows keep their order.</summary>
    public static void CopyToParquet(string query, string path, string extra = "")
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = 1; SET TimeZone = 'UTC'; COPY ({query}) TO '{path}' (FORMAT parquet{extra})";
        command.ExecuteNonQuery();
    }
}
