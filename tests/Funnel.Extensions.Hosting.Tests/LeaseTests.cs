using System.Collections.Concurrent;
using Funnel.Core.Rules;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Extensions.Hosting.Outbox;
using Funnel.Storage.PostgreSql.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Funnel.Extensions.Hosting.Tests;

/// <summary>Several app instances on one database: the store's outbox lease lets one dispatcher deliver at a time.</summary>
public sealed class LeaseTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoInstancesOnOneDatabase_OneDeliversAtATime_AndTheOtherTakesOverWhenItStops(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var log = new DeliveryLog();
        using var first = TestHosts.Build(database, log.Handler("first"));
        var firstDispatcher = await StartAsync(first, untilActive: true);
        using var second = TestHosts.Build(database, log.Handler("second"));
        var secondDispatcher = await StartAsync(second, untilActive: false);
        await Task.Delay(300); // six poll intervals: the second has asked for the lease several times
        Assert.False(secondDispatcher.IsActive);

        // Both instances write; only the holder delivers.
        await DispatcherTests.MoveLeadsAsync(first.Services.GetRequiredService<FunnelJourneyWorkflow>(), 3, "a");
        await DispatcherTests.MoveLeadsAsync(second.Services.GetRequiredService<FunnelJourneyWorkflow>(), 3, "b");
        var store = second.Services.GetRequiredService<JourneyStore>();
        await DispatcherTests.WaitUntilAsync(async () => (await store.GetOutboxStatusAsync()).PendingCount == 0);
        Assert.Equal(18, log.Count("first"));
        Assert.Equal(0, log.Count("second"));

        // The holder stops: the other takes the lease and delivers what comes next.
        await first.StopAsync();
        Assert.False(firstDispatcher.IsActive);
        await DispatcherTests.WaitUntilAsync(() => Task.FromResult(secondDispatcher.IsActive));
        await DispatcherTests.MoveLeadsAsync(second.Services.GetRequiredService<FunnelJourneyWorkflow>(), 2, "c");
        await DispatcherTests.WaitUntilAsync(async () => (await store.GetOutboxStatusAsync()).PendingCount == 0);
        await second.StopAsync();

        Assert.Equal(6, log.Count("second"));
        log.AssertEachOnceInJourneyOrder_NeverTwoAtOnce(24);
        if (kind == "sqlite")
        {
            // The lease is the lock file beside the database file.
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            Assert.True(File.Exists(file + "-outbox.lock"));
        }
    }

    [Fact]
    public async Task WhenTheHoldersPostgreSqlSessionDies_AWaitingInstanceTakesTheLease_AndNothingIsLost()
    {
        await using var database = await TestDatabase.CreateAsync("postgresql");
        var log = new DeliveryLog();
        var holderName = "funnel-lease-" + Guid.NewGuid().ToString("N")[..12];
        var holderConnection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = holderName }.ToString();
        using var holder = TestHosts.Build(database, log.Handler("holder"), store: f => f.AddPostgreSqlStore(holderConnection));
        var holderDispatcher = await StartAsync(holder, untilActive: true);
        using var waiting = TestHosts.Build(database, log.Handler("waiting"));
        var waitingDispatcher = await StartAsync(waiting, untilActive: false);

        // The server ends the holder's lease session (as when its machine dies): the lock is freed with it.
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = @name",
                admin);
            kill.Parameters.AddWithValue("name", holderName);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        // Exactly one of the two holds it again (whichever asked first), and messages keep flowing.
        await DispatcherTests.WaitUntilAsync(() => Task.FromResult(holderDispatcher.IsActive || waitingDispatcher.IsActive));
        await DispatcherTests.MoveLeadsAsync(waiting.Services.GetRequiredService<FunnelJourneyWorkflow>(), 3);
        var store = waiting.Services.GetRequiredService<JourneyStore>();
        await DispatcherTests.WaitUntilAsync(async () => (await store.GetOutboxStatusAsync()).PendingCount == 0);
        Assert.False(holderDispatcher.IsActive && waitingDispatcher.IsActive);
        await holder.StopAsync();
        await waiting.StopAsync();

        log.AssertEachOnceInJourneyOrder_NeverTwoAtOnce(9);
    }

    [Fact]
    public async Task AnAppsOwnLease_ReplacesTheStores_TheDispatcherWaitsForIt_AndReleasesItOnStop()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var lease = new SwitchLease();
        var log = new DeliveryLog();
        using var host = TestHosts.Build(database, log.Handler("own"), store: f => database.AddStore(f).AddOutboxLease(_ => lease));
        Assert.Same(lease, host.Services.GetRequiredService<IFunnelOutboxLease>());
        await host.StartAsync();
        var dispatcher = host.Services.GetRequiredService<FunnelOutboxDispatcher>();
        await DispatcherTests.MoveLeadsAsync(host.Services.GetRequiredService<FunnelJourneyWorkflow>(), 1);
        await Task.Delay(300);
        Assert.Equal(0, log.Count("own"));
        Assert.False(dispatcher.IsActive);

        lease.Free = true;
        await DispatcherTests.WaitUntilAsync(() => Task.FromResult(log.Count("own") == 3));
        Assert.True(dispatcher.IsActive);
        await host.StopAsync();
        Assert.True(lease.Released);

        // A store registered after the lease drops it: a lease guards the store it was made for.
        using var plain = TestHosts.Build(database, log.Handler("plain"), store: f => f.AddOutboxLease(_ => lease).AddStore(_ => throw new InvalidOperationException("not resolved here")));
        Assert.Null(plain.Services.GetService<IFunnelOutboxLease>());
    }

    /// <summary>Starts the host and returns its dispatcher, once it delivers when <paramref name="untilActive"/>.</summary>
    private static async Task<FunnelOutboxDispatcher> StartAsync(IHost host, bool untilActive)
    {
        await host.StartAsync();
        var dispatcher = host.Services.GetRequiredService<FunnelOutboxDispatcher>();
        if (untilActive)
        {
            await DispatcherTests.WaitUntilAsync(() => Task.FromResult(dispatcher.IsActive));
        }

        return dispatcher;
    }

    /// <summary>Every attempt of both instances, with a check that no two handlers ever ran at once.</summary>
    private sealed class DeliveryLog
    {
        private readonly ConcurrentQueue<(string Instance, string Journey, long Id)> _attempts = new();
        private int _inside;
        private int _overlaps;

        public Func<OutboxDelivery, CancellationToken, ValueTask> Handler(string instance) => async (delivery, token) =>
        {
            if (Interlocked.Increment(ref _inside) > 1)
            {
                Interlocked.Increment(ref _overlaps);
            }

            try
            {
                _ = (NotifyCommand)delivery.ReadCommand();
                await Task.Delay(2, token); // long enough for a second dispatcher to overlap, were there one
                _attempts.Enqueue((instance, delivery.JourneyId, delivery.MessageId));
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        };

        public int Count(string instance) => _attempts.Count(a => a.Instance == instance);

        public void AssertEachOnceInJourneyOrder_NeverTwoAtOnce(int expected)
        {
            Assert.Equal(0, _overlaps);
            Assert.Equal(expected, _attempts.Count);
            Assert.Equal(expected, _attempts.Select(a => a.Id).Distinct().Count());
            foreach (var journey in _attempts.GroupBy(a => a.Journey))
            {
                var ids = journey.Select(a => a.Id).ToArray();
                Assert.Equal(ids.Order(), ids);
            }
        }
    }

    /// <summary>An app's own lease, free or taken as the test says.</summary>
    private sealed class SwitchLease : IFunnelOutboxLease
    {
        private volatile bool _free;
        private volatile bool _released;

        public bool Free { get => _free; set => _free = value; }

        public bool Released => _released;

        public ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Free);

        public ValueTask ReleaseAsync()
        {
            _released = true;
            return ValueTask.CompletedTask;
        }
    }
}
