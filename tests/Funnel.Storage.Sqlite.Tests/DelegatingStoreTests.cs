using System.Collections.Concurrent;
using Funnel.Core;
using Funnel.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Funnel.Storage.Sqlite.Tests;

/// <summary>
/// <see cref="DelegatingJourneyStore"/> and <see cref="DelegatingEventLogStore"/> as a user's decorator sees them:
/// over a real SQLite store, one overridden call changes, every other call passes through, disposal reaches the inner
/// store.
/// </summary>
public sealed class DelegatingStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), "funnel-delegating-" + Guid.NewGuid().ToString("N") + ".db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task DelegatingJourneyStore_OneCallOverridden_OthersPassThroughToTheInnerStore()
    {
        var inner = new SqliteJourneyStore(ConnectionString, JourneyStoreOptions.For(FunnelTemplates.Aida));
        await using var store = new AuditingJourneyStore(inner);
        Assert.Same(inner.Options, store.Options);
        Assert.Equal(3, await store.EnsureCreatedAsync());

        var journey = Journey.Start(FunnelTemplates.Aida, "lead-1", T0);
        var saved = await store.InsertAsync(journey);

        Assert.True(saved.Succeeded);
        Assert.Equal(["lead-1"], store.Inserted);
        Assert.Equal(journey, await store.LoadAsync("lead-1"));
        Assert.Equal(journey, await inner.LoadAsync("lead-1"));
        Assert.Equal(journey.History.Select(e => (e.Kind, e.To, e.At)), (await store.GetHistoryAsync("lead-1")).Select(e => (e.Kind, e.To, e.At)));
        Assert.Equal(3, (await store.GetSchemaStatusAsync()).CurrentVersion);
    }

    [Fact]
    public async Task DelegatingJourneyStore_InvalidInput_IsRejectedBeforeTheInnerStoreIsCalled()
    {
        await using var store = new AuditingJourneyStore(new SqliteJourneyStore(ConnectionString, JourneyStoreOptions.For(FunnelTemplates.Aida)));
        await store.EnsureCreatedAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.InsertAsync(null!));

        Assert.Empty(store.Inserted);
    }

    [Fact]
    public async Task DelegatingJourneyStore_Disposed_DisposesTheInnerStore()
    {
        var inner = new AuditingJourneyStore(new SqliteJourneyStore(ConnectionString, JourneyStoreOptions.For(FunnelTemplates.Aida)));
        var outer = new AuditingJourneyStore(inner);

        await outer.DisposeAsync();

        Assert.True(inner.Disposed);
        Assert.True(outer.Disposed);
    }

    [Fact]
    public void DelegatingStores_NullInnerStore_Throw()
    {
        Assert.Equal("innerStore", Assert.Throws<ArgumentNullException>(() => new AuditingJourneyStore(null!)).ParamName);
        Assert.Equal("innerStore", Assert.Throws<ArgumentNullException>(() => new CountingEventLogStore(null!)).ParamName);
    }

    [Fact]
    public async Task DelegatingEventLogStore_OneCallOverridden_OthersPassThroughToTheInnerStore()
    {
        await using var log = new CountingEventLogStore(new SqliteEventLogStore(ConnectionString));
        await log.EnsureCreatedAsync();

        var appended = await log.AppendAsync(FunnelTemplates.Aida, [
            new FunnelEvent("a", FunnelTemplates.Aida.Stages[0].Key, T0),
            new FunnelEvent("a", FunnelTemplates.Aida.Stages[1].Key, T0.AddHours(1)),
            new FunnelEvent("b", FunnelTemplates.Aida.Stages[0].Key, T0),
        ]);

        Assert.Equal(3, appended);
        Assert.Equal(1, log.Appends);
        Assert.Equal(3, await log.CountAsync(FunnelTemplates.Aida));
        var report = await log.ComputeAggregatesAsync(FunnelTemplates.Aida, TimeSpan.FromDays(1));
        Assert.Equal(2, report.EntityCount);
        Assert.Equal(3, await log.DeleteAsync(FunnelTemplates.Aida));
    }

    private sealed class AuditingJourneyStore(JourneyStore inner) : DelegatingJourneyStore(inner)
    {
        private readonly ConcurrentQueue<string> _inserted = new();

        public IReadOnlyCollection<string> Inserted => _inserted;

        public bool Disposed { get; private set; }

        protected override Task<JourneySaveResult> InsertCoreAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
        {
            _inserted.Enqueue(journey.Id);
            return base.InsertCoreAsync(journey, outbox, cancellationToken);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            Disposed = true;
            await base.DisposeAsyncCore();
        }
    }

    private sealed class CountingEventLogStore(EventLogStore inner) : DelegatingEventLogStore(inner)
    {
        private int _appends;

        public int Appends => _appends;

        protected override Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _appends);
            return base.AppendCoreAsync(definition, rows, cancellationToken);
        }
    }
}
