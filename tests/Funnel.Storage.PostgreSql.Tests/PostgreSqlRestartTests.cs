using System.Diagnostics;
using Funnel.Core.Storage;
using Funnel.Storage.Specification;
using Xunit.Abstractions;

namespace Funnel.Storage.PostgreSql.Tests;

/// <summary>
/// The server crashes and restarts under load (<c>eng/postgres.sh restart … immediate</c>: every backend is killed
/// without a checkpoint, and the server recovers from its write-ahead log). It restarts the server the other tests use,
/// so it runs alone, after them (xunit runs a collection that disables parallelization by itself, last).
/// </summary>
[Collection(Name)]
public sealed class PostgreSqlRestartTests
{
    public const string Name = "PostgreSQL server restart";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public PostgreSqlRestartTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Load_ServerCrashesAndRestarts_KeepsEveryAcknowledgedSaveAndTheStoreWorksAgain()
    {
        var cluster = PostgreSqlTestServer.ClusterDirectory;
        await using var schema = await FaultSchema.CreateAsync();

        // eng/postgres.sh runs its throw-away server with synchronous_commit=off, which lets a crash lose the last
        // commits by design; an application that needs every acknowledged commit runs with it on, as the store does here.
        await using var store = new PostgreSqlJourneyStore(schema.StoreConnectionString("-c synchronous_commit=on"), FaultWorkload.Options);
        var load = new FaultLoad(journeys: 8);
        var seed = Environment.TickCount;
        _output.WriteLine($"seed {seed}");
        using var stop = new CancellationTokenSource();
        var writers = load.RunAsync(store, writers: 4, seed, stop.Token);

        // Restart once the writers are under way, at a random point of their work.
        var warmUp = DateTime.UtcNow + Patience;
        while (load.Saves < 20 && DateTime.UtcNow < warmUp && !writers.IsCompleted)
        {
            await Task.Delay(20);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(new Random(seed).Next(0, 500)));
        var beforeRestart = load.Saves;
        Assert.False(writers.IsCompleted, "The writers stopped before the restart: " + string.Join("\n", load.Unexpected));
        Assert.True(beforeRestart >= 20, $"Only {beforeRestart} saves landed in {Patience.TotalSeconds} s before the restart.");
        await RestartServerAsync(cluster);
        var failuresAtRestart = load.Failures;
        var savesAtRestart = load.Saves;

        // The store works again: the writers go on and land saves after the restart.
        var deadline = DateTime.UtcNow + Patience;
        while (load.Saves < savesAtRestart + 50 && DateTime.UtcNow < deadline && !writers.IsCompleted)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await writers.WaitAsync(Patience);
        _output.WriteLine($"{beforeRestart} saves acknowledged before the restart, {load.Saves} in all; {load.Failures} saves failed ({failuresAtRestart} by the end of the restart)");
        Assert.Empty(load.Unexpected);
        Assert.True(load.Failures > 0, "No save failed, so the restart did not happen under load.");
        Assert.True(load.Saves >= savesAtRestart + 50, $"Only {load.Saves - savesAtRestart} saves landed in {Patience.TotalSeconds} s after the restart.");

        var saves = await FaultChecks.AssertConsistentAsync(store, load.Ids, load.Acknowledged);
        Assert.True(saves >= load.Saves, $"{load.Saves} saves were acknowledged but the store holds {saves}.");
    }

    private async Task RestartServerAsync(string cluster)
    {
        var script = FindScript();
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("restart");
        info.ArgumentList.Add(cluster);
        info.ArgumentList.Add("immediate");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"eng/postgres.sh restart did not finish in {Patience.TotalSeconds} s.");
        }

        var log = await output.WaitAsync(Patience) + await errors.WaitAsync(Patience);
        _output.WriteLine(log);
        Assert.True(process.ExitCode == 0, $"eng/postgres.sh restart failed ({process.ExitCode}):\n{log}");
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "eng", "postgres.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException($"eng/postgres.sh was not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Runs <see cref="PostgreSqlRestartTests"/> alone: no other test may use the server while it restarts.</summary>
[CollectionDefinition(PostgreSqlRestartTests.Name, DisableParallelization = true)]
public sealed class PostgreSqlRestartRunsAlone;
