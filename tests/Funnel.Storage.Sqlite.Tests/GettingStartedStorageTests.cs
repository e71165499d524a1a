using Funnel.Core;
using Funnel.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite.Tests;

/// <summary>
/// The storage step of docs/getting-started.md, copied into the guide verbatim (between the <c>// guide:</c> markers;
/// Funnel.Core.Tests' GettingStartedTests checks that the guide still holds it), run against a real SQLite file.
/// </summary>
public sealed class GettingStartedStorageTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("funnel-guide-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Step7_keep_journeys_in_sqlite()
    {
        var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var path = Path.Combine(_directory, "funnel.db");

        // guide: store
        await using var store = new SqliteJourneyStore($"Data Source={path}", JourneyStoreOptions.For(FunnelTemplates.Aida));
        await store.EnsureCreatedAsync();                               // once at start-up: creates or migrates the schema

        var lead = Journey.Start(FunnelTemplates.Aida, "ann", t0);
        await store.InsertAsync(lead);

        var loaded = await store.LoadAsync("ann");
        var moved = loaded!.MoveTo("interest", t0.AddMinutes(3)).GetJourneyOrThrow();
        var saved = await store.SaveAsync(moved, expectedVersion: loaded.Version,
            outbox: [new OutboxMessage("email", "{\"to\":\"ann\",\"template\":\"welcome\"}", t0.AddMinutes(3))]);
        if (saved.Outcome == SaveOutcome.VersionConflict)
        {
            // somebody else moved ann first: load again, decide again
        }

        foreach (var message in await store.ReadOutboxAsync())           // stored in the same transaction as the move
        {
            Console.WriteLine($"send {message.Message.Type}: {message.Message.Payload}");
        }
        // guide: end

        Assert.Equal(SaveOutcome.Saved, saved.Outcome);
        var again = await store.LoadAsync("ann");
        Assert.Equal("interest", again!.CurrentStage.Key.ToString());
        Assert.Single(await store.ReadOutboxAsync());
    }
}
