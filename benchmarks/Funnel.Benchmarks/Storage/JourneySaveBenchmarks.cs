using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Storage.PostgreSql;
using Funnel.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Funnel.Benchmarks.Storage;

/// <summary>
/// Journey saves per second through <see cref="JourneyStore.SaveAsync"/>, 8 writers at once, each landing 25 saves
/// (load, move, save with the loaded version and one outbox message): all on <b>one contended journey</b>, where a
/// writer that loses the optimistic-concurrency race gets <see cref="SaveOutcome.VersionConflict"/>, reloads and tries
/// again; or each on <b>its own journey</b>. Every iteration works on new journeys, so histories do not grow across
/// iterations. After every iteration the journeys are loaded back and checked: every save a writer saw succeed is in
/// the history and the outbox exactly once, and nothing else is (0 lost, 0 duplicated), or the run throws.
/// SQLite always; PostgreSQL when <c>FUNNEL_POSTGRES_TEST_CONNECTION</c> is set.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class JourneySaveBenchmarks
{
    private const int Writers = 8;
    private const int SavesPerWriter = 25;
    private const int Saves = Writers * SavesPerWriter;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FunnelDefinition _definition = StorageBenchmarkData.Definition("saves");
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), "funnel-bench-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly string _schema = "funnel_bench_" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<string> _landed = new();

    private int _round;
    private long _conflicts;
    private long _saves;

    /// <summary>Gets or sets the database: <c>SQLite</c> or <c>PostgreSQL</c>.</summary>
    [ParamsSource(nameof(Databases))]
    public string Database { get; set; } = "SQLite";

    // A property, not a field: the store lives from GlobalSetup to GlobalCleanup, which disposes it.
    private JourneyStore Store { get; set; } = null!;

    /// <summary>SQLite, and PostgreSQL when a server is named by the tests' variable.</summary>
    public static IEnumerable<string> Databases() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StorageBenchmarkData.PostgresVariable)) ? ["SQLite"] : ["SQLite", "PostgreSQL"];

    [GlobalSetup]
    public void Setup()
    {
        if (Database == "PostgreSQL")
        {
            BenchmarkDatabases.ExecutePostgresAsync("CREATE SCHEMA " + _schema).GetAwaiter().GetResult();
            var connection = new NpgsqlConnectionStringBuilder(StorageBenchmarkData.PostgresConnectionString) { SearchPath = _schema, MaxPoolSize = 32 };
            Store = new PostgreSqlJourneyStore(connection.ToString(), JourneyStoreOptions.For(_definition));
        }
        else
        {
            Store = new SqliteJourneyStore("Data Source=" + _sqlitePath + ";Default Timeout=600", JourneyStoreOptions.For(_definition));
        }

        Store.EnsureCreatedAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// {Database}: {_saves} saves landed, {_conflicts} version conflicts retried ({(double)_conflicts / Math.Max(1, _saves):0.00} per save)");
        Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Database == "PostgreSQL")
        {
            BenchmarkDatabases.ExecutePostgresAsync("DROP SCHEMA IF EXISTS " + _schema + " CASCADE").GetAwaiter().GetResult();
        }
        else
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(_sqlitePath + suffix);
            }
        }
    }

    [IterationSetup]
    public void NewJourneys()
    {
        _round++;
        _landed.Clear();
        foreach (var id in JourneyIds())
        {
            var inserted = Store.InsertAsync(Journey.Start(_definition, id, T0)).GetAwaiter().GetResult();
            if (!inserted.Succeeded)
            {
                throw new InvalidOperationException($"Could not insert journey '{id}': {inserted.Outcome}.");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Saves)]
    [BenchmarkCategory("contended")]
    public void OneContendedJourney() => RunWriters(_ => Hot);

    [Benchmark(OperationsPerInvoke = Saves)]
    [BenchmarkCategory("distinct")]
    public void DistinctJourneys() => RunWriters(Own);

    /// <summary>Checks that every landed save is stored once and nothing else is: 0 lost, 0 duplicated.</summary>
    [IterationCleanup]
    public void Verify()
    {
        var landed = _landed.ToArray();
        if (landed.Length == 0)
        {
            return;
        }

        var outbox = Store.ReadOutboxAsync(100_000, includeAcknowledged: true).GetAwaiter().GetResult();
        foreach (var id in JourneyIds())
        {
            var expected = landed.Where(note => note.StartsWith(id + ":", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
            var journey = Store.LoadAsync(id).GetAwaiter().GetResult()
                ?? throw new InvalidOperationException($"{Database}: journey '{id}' is gone.");
            var stored = journey.History.Skip(1).Select(entry => entry.Note ?? string.Empty).Order(StringComparer.Ordinal).ToArray();
            var messages = outbox.Where(entry => entry.JourneyId == id).Select(entry => entry.Message.Payload).Order(StringComparer.Ordinal).ToArray();
            if (journey.Version != expected.Length || !stored.SequenceEqual(expected) || !messages.SequenceEqual(expected))
            {
                var lost = expected.Except(stored).Count();
                var duplicated = stored.Length - stored.Distinct().Count() + messages.Length - messages.Distinct().Count();
                throw new InvalidOperationException(
                    $"{Database}: journey '{id}' at version {journey.Version} has {stored.Length} moves and {messages.Length} outbox messages " +
                    $"for {expected.Length} landed saves: {lost} lost, {duplicated} duplicated.");
            }
        }

        Interlocked.Add(ref _saves, landed.Length);
        _landed.Clear();
    }

    private string Hot => "hot-" + _round.ToString(CultureInfo.InvariantCulture);

    private string Own(int writer) => "w" + writer.ToString(CultureInfo.InvariantCulture) + "-" + _round.ToString(CultureInfo.InvariantCulture);

    private IEnumerable<string> JourneyIds() => Enumerable.Range(0, Writers).Select(Own).Prepend(Hot);

    private void RunWriters(Func<int, string> journeyOf)
    {
        var writers = new Task[Writers];
        for (var n = 0; n < Writers; n++)
        {
            var writer = n;
            writers[n] = Task.Run(() => WriteAsync(writer, journeyOf(writer)));
        }

        Task.WaitAll(writers);
        if (_landed.Count != Saves)
        {
            throw new InvalidOperationException($"{Database}: {_landed.Count} saves landed instead of {Saves}.");
        }
    }

    private async Task WriteAsync(int writer, string id)
    {
        for (var k = 0; k < SavesPerWriter; k++)
        {
            var note = id + ":w" + writer.ToString(CultureInfo.InvariantCulture) + "#" + k.ToString(CultureInfo.InvariantCulture);
            while (true)
            {
                var current = await Store.LoadAsync(id) ?? throw new InvalidOperationException($"Journey '{id}' is gone.");
                var stage = _definition.Stages[(int)((current.Version + 1) % 4)].Key;
                var at = current.LastChangedAt.AddMinutes(1);
                var moved = current.MoveTo(stage, at, "w" + writer.ToString(CultureInfo.InvariantCulture), note).GetJourneyOrThrow();
                var result = await Store.SaveAsync(moved, current.Version, [new OutboxMessage("task.create", note, at)]);
                if (result.Succeeded)
                {
                    _landed.Enqueue(note);
                    break;
                }

                if (result.Outcome != SaveOutcome.VersionConflict)
                {
                    throw new InvalidOperationException($"{Database}: saving '{id}' gave {result.Outcome}.");
                }

                Interlocked.Increment(ref _conflicts);
            }
        }
    }
}
