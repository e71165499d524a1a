using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Funnel.Core;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// Appending 1M events to the event log. Baselines are what plain ADO.NET code would do: SQLite — a new command per
/// row inside one transaction; PostgreSQL — batches of 1000 single-row INSERTs inside one transaction. The library's
/// paths: SQLite — one prepared insert re-bound per row; PostgreSQL — binary COPY.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class EventIngestBenchmarks
{
    private readonly FunnelDefinition _definition = StorageBenchmarkData.Definition("ingest");
    private readonly BenchmarkDatabases _databases = new();
    private FunnelEvent[] _events = [];

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = StorageBenchmarkData.Log(_definition, Rows);
        _databases.CreateAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _databases.DropAsync().GetAwaiter().GetResult();

    [IterationSetup]
    public void Empty()
    {
        _databases.Sqlite.DeleteAsync(_definition).GetAwaiter().GetResult();
        _databases.Postgres.DeleteAsync(_definition).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("sqlite")]
    public void SqliteCommandPerRow()
    {
        using var connection = new SqliteConnection(_databases.SqliteConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var e in _events)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO funnel_events (funnel_key, entity_id, stage, at, reason, segment) VALUES (@f, @e, @s, @t, @r, @g)";
            command.Parameters.AddWithValue("@f", _definition.Key);
            command.Parameters.AddWithValue("@e", e.EntityId);
            command.Parameters.AddWithValue("@s", _definition.GetStage(e.Stage).Order);
            command.Parameters.AddWithValue("@t", e.At.ToUnixTimeSeconds());
            command.Parameters.AddWithValue("@r", e.IsLoss ? _definition.LossReasons.IndexOf(_definition.GetLossReason(e.LossReason)) : DBNull.Value);
            command.Parameters.AddWithValue("@g", (object?)e.Segment ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Benchmark]
    [BenchmarkCategory("sqlite")]
    public long SqlitePreparedAppend() => _databases.Sqlite.AppendAsync(_definition, _events).GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("postgresql")]
    public void PostgreSqlBatchedInserts()
    {
        using var connection = new NpgsqlConnection(_databases.PostgresConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var chunk in _events.Chunk(1000))
        {
            using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var e in chunk)
            {
                var command = new NpgsqlBatchCommand("INSERT INTO funnel_events (funnel_key, entity_id, stage, at, reason, segment) VALUES ($1, $2, $3, $4, $5, $6)");
                command.Parameters.AddWithValue(_definition.Key);
                command.Parameters.AddWithValue(e.EntityId);
                command.Parameters.AddWithValue(_definition.GetStage(e.Stage).Order);
                command.Parameters.AddWithValue(e.At.ToUnixTimeSeconds());
                command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Integer, e.IsLoss ? _definition.LossReasons.IndexOf(_definition.GetLossReason(e.LossReason)) : DBNull.Value);
                command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)e.Segment ?? DBNull.Value);
                batch.BatchCommands.Add(command);
            }

            batch.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Benchmark]
    [BenchmarkCategory("postgresql")]
    public long PostgreSqlBinaryCopy() => _databases.Postgres.AppendAsync(_definition, _events).GetAwaiter().GetResult();
}
