using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// The four canonical outputs over a 1M-event log: pushed down as SQL to the database, against pulled back in chunks
/// and computed in process (the baseline), and against computing on columns already in memory (no I/O at all).
/// The setup checks that every path gives identical numbers.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PushDownBenchmarks
{
    private const long Window = 7 * 86_400;
    private readonly FunnelDefinition _definition = StorageBenchmarkData.Definition("pushdown");
    private readonly BenchmarkDatabases _databases = new();
    private List<string> _ids = [];
    private List<int> _stages = [];
    private List<long> _times = [];
    private List<int> _reasons = [];

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup(Targets = [nameof(PostgreSqlPull)])]
    public void SetupAndVerify()
    {
        var events = Load(sqlite: true, postgres: true);

        // Every path must give the same numbers before any of them is timed.
        var expected = InMemoryAggregates.Compute(_definition, [.. events.Select(e => e.EntityId)], _stages, _times, _reasons, Window);
        foreach (var (name, actual) in new[] { ("SQLite push-down", SqlitePushDown()), ("PostgreSQL push-down", PostgreSqlPushDown()), ("PostgreSQL pull", PostgreSqlPull()), ("SQLite pull", SqlitePull()) })
        {
            if (!expected.Equals(actual))
            {
                throw new InvalidOperationException($"{name} differs from the in-memory result:\n{expected}\n{actual}");
            }
        }
    }

    [GlobalSetup(Targets = [nameof(PostgreSqlPushDown)])]
    public void SetupPostgres() => Load(sqlite: false, postgres: true);

    [GlobalSetup(Targets = [nameof(SqlitePull), nameof(SqlitePushDown)])]
    public void SetupSqlite() => Load(sqlite: true, postgres: false);

    [GlobalSetup(Targets = [nameof(InMemory)])]
    public void SetupMemory() => Load(sqlite: false, postgres: false);

    private FunnelEvent[] Load(bool sqlite, bool postgres)
    {
        var events = StorageBenchmarkData.Log(_definition, Rows);
        _databases.CreateAsync().GetAwaiter().GetResult();
        if (sqlite)
        {
            _databases.Sqlite.AppendAsync(_definition, events).GetAwaiter().GetResult();
        }

        if (postgres)
        {
            _databases.Postgres.AppendAsync(_definition, events).GetAwaiter().GetResult();
        }

        _ids = [.. events.Select(e => e.EntityId)];
        _stages = [.. events.Select(e => _definition.GetStage(e.Stage).Order)];
        _times = [.. events.Select(e => e.At.ToUnixTimeSeconds())];
        _reasons = [.. events.Select(e => e.IsLoss ? _definition.LossReasons.IndexOf(_definition.GetLossReason(e.LossReason)) : -1)];
        return events;
    }

    [GlobalCleanup]
    public void Cleanup() => _databases.DropAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public TransitionReport PostgreSqlPull() =>
        InMemoryAggregates.PullAndComputeAsync(_databases.Postgres, _definition, Window).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport PostgreSqlPushDown() =>
        _databases.Postgres.ComputeAggregatesAsync(_definition, TimeSpan.FromSeconds(Window)).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport SqlitePull() =>
        InMemoryAggregates.PullAndComputeAsync(_databases.Sqlite, _definition, Window).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport SqlitePushDown() =>
        _databases.Sqlite.ComputeAggregatesAsync(_definition, TimeSpan.FromSeconds(Window)).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport InMemory() => InMemoryAggregates.Compute(_definition, _ids, _stages, _times, _reasons, Window);
}
