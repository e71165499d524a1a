using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// The four canonical outputs over a 1M-event log: pushed down as SQL to the database, against pulled back in chunks
/// and streamed through the bulk engine in process (the baseline), and against the bulk engine on a log whose columns
/// are already in memory (no I/O at all). The pull is the code a user writes (docs/scale-out.md): <c>ReadAsync</c>,
/// <c>EventLogChunk.ToTransitionLog</c>, <c>TransitionAccumulator</c>. The setup checks that every path gives an
/// equal <see cref="TransitionReport"/>. The <c>…Modes…</c> rows ask the question of issues 16 and 22 — per-step
/// windows and the best anchor (every entry into the first stage starts an attempt) — pushed down and in memory
/// (modes need each lead's events in one piece, so there is no streamed pull for them).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PushDownBenchmarks
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);
    private readonly FunnelDefinition _definition = StorageBenchmarkData.Definition("pushdown");
    private readonly BenchmarkDatabases _databases = new();
    private TransitionLog _log = TransitionLog.Empty;

    private TransitionAnalyzer Modes => new(_definition, Window)
    {
        Anchor = AnchorMode.Best,
        StepWindows = [TimeSpan.FromDays(1), TimeSpan.FromDays(3), null, TimeSpan.FromDays(2)],
    };

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup(Targets = [nameof(PostgreSqlPull)])]
    public void SetupAndVerify()
    {
        Load(sqlite: true, postgres: true);

        // Every path must give the same numbers before any of them is timed.
        var expected = InMemory();
        var modes = InMemoryModes();
        foreach (var (name, want, actual) in new[]
        {
            ("SQLite push-down", expected, SqlitePushDown()), ("PostgreSQL push-down", expected, PostgreSqlPushDown()), ("PostgreSQL pull", expected, PostgreSqlPull()), ("SQLite pull", expected, SqlitePull()),
            ("SQLite modes push-down", modes, SqliteModesPushDown()), ("PostgreSQL modes push-down", modes, PostgreSqlModesPushDown()),
        })
        {
            if (!want.Equals(actual))
            {
                throw new InvalidOperationException($"{name} differs from the bulk engine on the in-memory log:\n{want}\n{actual}");
            }
        }
    }

    [GlobalSetup(Targets = [nameof(PostgreSqlPushDown), nameof(PostgreSqlModesPushDown)])]
    public void SetupPostgres() => Load(sqlite: false, postgres: true);

    [GlobalSetup(Targets = [nameof(SqlitePull), nameof(SqlitePushDown), nameof(SqliteModesPushDown)])]
    public void SetupSqlite() => Load(sqlite: true, postgres: false);

    [GlobalSetup(Targets = [nameof(InMemory), nameof(InMemoryModes)])]
    public void SetupMemory() => Load(sqlite: false, postgres: false);

    private void Load(bool sqlite, bool postgres)
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

        _log = TransitionLog.FromEvents(events, _definition, new EntityInterner<string>());
    }

    [GlobalCleanup]
    public void Cleanup() => _databases.DropAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public TransitionReport PostgreSqlPull() => PullAsync(_databases.Postgres).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport PostgreSqlPushDown() =>
        _databases.Postgres.ComputeAggregatesAsync(_definition, Window).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport SqlitePull() => PullAsync(_databases.Sqlite).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport SqlitePushDown() =>
        _databases.Sqlite.ComputeAggregatesAsync(_definition, Window).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport InMemory() => new TransitionAnalyzer(_definition, Window).Analyze(_log);

    [Benchmark]
    public TransitionReport PostgreSqlModesPushDown() =>
        _databases.Postgres.ComputeAggregatesAsync(_definition, Modes).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport SqliteModesPushDown() =>
        _databases.Sqlite.ComputeAggregatesAsync(_definition, Modes).GetAwaiter().GetResult();

    [Benchmark]
    public TransitionReport InMemoryModes() => Modes.Analyze(_log);

    // Pull as a user writes it (docs/scale-out.md): read the log back in chunks of the default size and stream each
    // chunk through the bulk engine, with one interner so that an entity keeps its id across chunks.
    private async Task<TransitionReport> PullAsync(EventLogStore store)
    {
        var accumulator = new TransitionAnalyzer(_definition, Window).CreateAccumulator();
        var entities = new EntityInterner<string>();
        await foreach (var chunk in store.ReadAsync(_definition, EventLogStore.DefaultChunkSize))
        {
            accumulator.Add(chunk.ToTransitionLog(entities));
        }

        return accumulator.ToAggregate().ToReport();
    }
}
