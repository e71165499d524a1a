using Funnel.Core.Storage;
using Funnel.Storage.Specification;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite.Tests;

/// <summary>Runs the whole conformance suite against a real SQLite file, a new one per test.</summary>
public sealed class SqliteJourneyStoreTests : JourneyStoreSpecification
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "funnel-test-" + Guid.NewGuid().ToString("N") + ".db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }

    protected override JourneyStore CreateStore(JourneyStoreOptions options) => new SqliteJourneyStore(ConnectionString, options);

    protected override EventLogStore CreateEventLogStore() => new SqliteEventLogStore(ConnectionString);

    protected override async Task InstallOutboxFailureAsync(string poisonPayload)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "CREATE TRIGGER test_poison BEFORE INSERT ON funnel_outbox WHEN NEW.payload = $p BEGIN SELECT RAISE(ABORT, 'poisoned outbox message'); END";
        // Triggers cannot take parameters; the payload is a constant of the test, checked here.
        Assert.Matches("^[a-z]+$", poisonPayload);
        command.CommandText = command.CommandText.Replace("$p", "'" + poisonPayload + "'", StringComparison.Ordinal);
        await command.ExecuteNonQueryAsync();
    }

    protected override (string OutboxId, string EventSequence) Version1IdentityColumns => ("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER PRIMARY KEY");

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task EnsureCreated_NewFile_UsesWriteAheadLogging()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Constructor_MalformedConnectionString_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => new SqliteJourneyStore("Data Source=x;Bogus Key=1", DefaultOptions));
        Assert.ThrowsAny<ArgumentException>(() => new SqliteEventLogStore(" "));
    }
}
