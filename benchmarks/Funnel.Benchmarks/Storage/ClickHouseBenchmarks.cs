using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;
using Funnel.Storage.ClickHouse;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// The ClickHouse event log on the two-shard cluster of <c>eng/clickhouse.sh</c>: ingest (append of the whole log,
/// RowBinary batches of 1M rows, synchronous Distributed inserts), push-down against pull (the same user code as
/// <see cref="PushDownBenchmarks"/>), the push-down with per-step windows (docs/bulk.md rule 7: the general chain
/// query rather than the greedy one), and the bulk engine alone on the log in memory, with and without them. The
/// setup checks that push, pull and the engine give an equal <see cref="TransitionReport"/> before anything is timed.
/// Run with the cluster up: <c>eng/clickhouse.sh run -- dotnet run -c Release --project benchmarks/Funnel.Benchmarks -- --filter '*ClickHouse*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ClickHouseBenchmarks
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>A day for each step but the last, which has none: per-step windows that cut some chains of the generated log.</summary>
    private static readonly TimeSpan?[] StepWindows = [TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), null];
    private readonly FunnelDefinition _definition = StorageBenchmarkData.Definition("clickhouse");
    private readonly string _database = "funnel_bench_" + Guid.NewGuid().ToString("N");
    private FunnelEvent[] _events = [];
    private TransitionLog _log = TransitionLog.Empty;
    private ClickHouseEventLogStore Store { get; set; } = null!;
    private int _ingested;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = StorageBenchmarkData.Log(_definition, Rows);
        _log = TransitionLog.FromEvents(_events, _definition, new EntityInterner<string>());
        string[] nodes = [Node("FUNNEL_CLICKHOUSE_TEST_CONNECTION"), Node("FUNNEL_CLICKHOUSE_TEST_CONNECTION2")];
        foreach (var node in nodes)
        {
            Execute(node, "CREATE DATABASE " + _database);
        }

        Store = new ClickHouseEventLogStore(new ClickHouseEventLogOptions
        {
            ConnectionString = nodes[0],
            Cluster = Environment.GetEnvironmentVariable("FUNNEL_CLICKHOUSE_TEST_CLUSTER") ?? "funnel_test_cluster",
            NodeConnectionStrings = nodes,
        });
        Store.EnsureCreatedAsync().GetAwaiter().GetResult();
        Store.AppendAsync(_definition, _events).GetAwaiter().GetResult();
        var expected = InMemory();
        var expectedStepped = InMemoryStepWindows();
        foreach (var (name, wanted, actual) in new[]
        {
            ("ClickHouse push-down", expected, ClickHousePushDown()), ("ClickHouse pull", expected, ClickHousePull()),
            ("ClickHouse push-down with per-step windows", expectedStepped, ClickHousePushDownStepWindows()),
        })
        {
            if (!wanted.Equals(actual))
            {
                throw new InvalidOperationException($"{name} differs from the bulk engine on the in-memory log:\n{wanted}\n{actual}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var variable in new[] { "FUNNEL_CLICKHOUSE_TEST_CONNECTION", "FUNNEL_CLICKHOUSE_TEST_CONNECTION2" })
        {
            Execute(Node(variable), "DROP DATABASE IF EXISTS " + _database);
        }
    }

    [Benchmark(Baseline = true)]
    public TransitionReport ClickHousePull()
    {
        var accumulator = new TransitionAnalyzer(_definition, Window).CreateAccumulator();
        var entities = new EntityInterner<string>();
        foreach (var chunk in Store.ReadAsync(_definition).ToBlockingEnumerable())
        {
            accumulator.Add(chunk.ToTransitionLog(entities));
        }

        return accumulator.ToAggregate().ToReport();
    }

    [Benchmark]
    public TransitionReport ClickHousePushDown() => Store.ComputeAggregatesAsync(_definition, Window).GetAwaiter().GetResult();

    /// <summary>The push-down with per-step windows: each step's match ends from the previous step's, per lead on its shard.</summary>
    [Benchmark]
    public TransitionReport ClickHousePushDownStepWindows() => Store.ComputeAggregatesAsync(_definition, SteppedAnalyzer()).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport InMemory() => new TransitionAnalyzer(_definition, Window).Analyze(_log);

    [Benchmark]
    public TransitionReport InMemoryStepWindows() => SteppedAnalyzer().Analyze(_log);

    /// <summary>Appends the whole log under a new funnel key (rows/s = Rows / the time).</summary>
    [Benchmark]
    public long ClickHouseIngest() =>
        Store.AppendAsync(StorageBenchmarkData.Definition("ingest" + (++_ingested).ToString(System.Globalization.CultureInfo.InvariantCulture)), _events).GetAwaiter().GetResult();

    private TransitionAnalyzer SteppedAnalyzer() => new(_definition, Window) { StepWindows = [.. StepWindows] };

    private string Node(string variable) =>
        new ClickHouseConnectionStringBuilder(Environment.GetEnvironmentVariable(variable)
            ?? throw new InvalidOperationException($"{variable} is not set: start the cluster with eval \"$(eng/clickhouse.sh start)\"")) { Database = _database }.ToString();

    private static void Execute(string connectionString, string sql)
    {
        var settings = new ClickHouseClientSettings(new ClickHouseClientSettings(connectionString)) { UseCompression = false, JsonReadMode = JsonReadMode.None, JsonWriteMode = JsonWriteMode.None, Database = "default" };
        using var client = new ClickHouseClient(settings);
        client.ExecuteNonQueryAsync(sql, null, null, CancellationToken.None).GetAwaiter().GetResult();
    }
}
