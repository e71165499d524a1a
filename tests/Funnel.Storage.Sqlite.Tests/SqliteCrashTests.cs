using System.Diagnostics;
using System.Globalization;
using System.Text;
using Funnel.Storage.Specification;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Funnel.Storage.Sqlite.Tests;

/// <summary>
/// A writer process (tests/Funnel.Storage.Sqlite.CrashWriter) saves journeys in a loop and is killed with SIGKILL at
/// random points, again and again, on the same database file. After each kill the file must open, pass SQLite's
/// integrity check, hold every save the writer acknowledged, and hold no half-written save.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int Kills = 8;
    private const int Journeys = 12;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("funnel-crash-").FullName;

    public SqliteCrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Writer_KilledWithSigkillAtRandomPoints_KeepsEveryAcknowledgedSaveAndNothingHalfWritten()
    {
        var path = Path.Combine(_directory, "crash.db");
        var seed = Environment.TickCount;
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = Enumerable.Range(0, Journeys).Select(FaultWorkload.JourneyId).ToArray();
        for (var round = 0; round < Kills; round++)
        {
            // Kill somewhere in the first ~300 ms of saving: mostly inside a transaction or its commit.
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 300));
            var acks = await RunAndKillAsync(path, random.Next(), delay);
            foreach (var (id, version) in acks)
            {
                acknowledged[id] = Math.Max(version, acknowledged.GetValueOrDefault(id, -1));
            }

            Assert.Equal("ok", IntegrityCheck(path));
            await using var store = new SqliteJourneyStore(ConnectionString(path), FaultWorkload.Options);
            var saves = await FaultChecks.AssertConsistentAsync(store, ids, acknowledged);
            _output.WriteLine($"kill {round + 1} after {delay.TotalMilliseconds} ms: {acks.Count} acknowledged this run, {saves} saves stored");
            SqliteConnection.ClearAllPools();
        }

        Assert.True(acknowledged.Values.Sum(version => version / FaultWorkload.VersionsPerSave + 1) > Kills, "The writer hardly saved anything before it was killed.");
    }

    /// <summary>The checks themselves: each way a save can be half-written or lost is reported.</summary>
    [Theory]
    [InlineData("DELETE FROM funnel_outbox WHERE id = (SELECT max(id) FROM funnel_outbox)", "without their outbox message")]
    [InlineData("DELETE FROM funnel_journey_history WHERE seq = (SELECT max(seq) FROM funnel_journey_history)", "half-written")]
    [InlineData("UPDATE funnel_journey_attributes SET value = '1' WHERE name = 'step'", "half-written")]
    [InlineData("UPDATE funnel_journeys SET version = version - 3", "was lost")]
    [InlineData("UPDATE funnel_journeys SET version = version + 3", "half-written")]
    [InlineData("INSERT INTO funnel_outbox (journey_id, journey_version, type, payload, created_ticks, created_offset) SELECT journey_id, journey_version, type, payload, created_ticks, created_offset FROM funnel_outbox WHERE id = 1", "stored twice")]
    [InlineData("DELETE FROM funnel_journeys", "not stored")]
    public async Task FaultChecks_DamagedSave_IsReported(string damage, string reported)
    {
        var path = Path.Combine(_directory, "damaged.db");
        var id = FaultWorkload.JourneyId(0);
        var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var store = new SqliteJourneyStore(ConnectionString(path), FaultWorkload.Options))
        {
            await store.EnsureCreatedAsync();
            for (var i = 0; i < 3; i++)
            {
                acknowledged[id] = (await FaultWorkload.SaveNextAsync(store, id)).StoredVersion!.Value;
            }

            Assert.Equal(3, await FaultChecks.AssertConsistentAsync(store, [id], acknowledged));
        }

        using (var connection = new SqliteConnection(ConnectionString(path)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = damage;
            Assert.True(command.ExecuteNonQuery() > 0);
        }

        await using var reopened = new SqliteJourneyStore(ConnectionString(path), FaultWorkload.Options);
        var error = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => FaultChecks.AssertConsistentAsync(reopened, [id], acknowledged));
        Assert.Contains(reported, error.Message, StringComparison.Ordinal);
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    /// <summary>Starts the writer, waits for its first acknowledgement, waits <paramref name="delay"/> more and kills it with SIGKILL.</summary>
    /// <returns>Every acknowledgement it wrote completely (a line cut by the kill is not one).</returns>
    private static async Task<List<(string Id, long Version)>> RunAndKillAsync(string path, int seed, TimeSpan delay)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Funnel.Storage.Sqlite.CrashWriter.dll");
        Assert.True(File.Exists(program), $"The crash writer is not built at {program}.");
#if NET10_0_OR_GREATER
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(program);
#else
        // The net8.0 run is self-contained (tests/Directory.Build.props) and the machine may have no 8.0 runtime for
        // `dotnet`: start the writer's own self-contained host, built beside it.
        var info = new ProcessStartInfo(Path.ChangeExtension(program, null))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
#endif
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(Journeys.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var lines = new List<string>();
        var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadCompleteLinesAsync(process.StandardOutput, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                firstAck.TrySetResult();
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await Task.WhenAny(firstAck.Task, process.WaitForExitAsync(), Task.Delay(ChildTimeout));
            if (!firstAck.Task.IsCompleted)
            {
                Assert.Fail(process.HasExited
                    ? $"The crash writer exited ({process.ExitCode}) before its first save: {await errors}"
                    : $"The crash writer saved nothing in {ChildTimeout.TotalSeconds} s.");
            }

            await Task.Delay(delay);
            if (process.HasExited)
            {
                Assert.Fail($"The crash writer exited by itself ({process.ExitCode}): {await errors}");
            }

            process.Kill(); // SIGKILL on Linux and macOS: no handler, no flush, no finally block runs in the writer.
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            using var wait = new CancellationTokenSource(ChildTimeout);
            await process.WaitForExitAsync(wait.Token);
        }

        await reading.WaitAsync(ChildTimeout);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(128 + 9, process.ExitCode); // killed by signal 9, not exited by itself
        }

        var acks = new List<(string, long)>();
        foreach (var line in lines.Where(line => line.StartsWith("ack ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            Assert.True(parts.Length == 3, $"Malformed acknowledgement '{line}'.");
            acks.Add((parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture)));
        }

        return acks;
    }

    /// <summary>Reads until end of stream and passes on every line that ended in a newline; a last, cut line is dropped.</summary>
    private static async Task ReadCompleteLinesAsync(StreamReader reader, Action<string> onLine)
    {
        var pending = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    onLine(pending.ToString());
                    pending.Clear();
                }
                else
                {
                    pending.Append(buffer[i]);
                }
            }
        }
    }
}
