using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// The conformance suite for event-log stores (the tests live in JourneyStoreSpecification.EventLog.cs): a store that
/// keeps only event logs, such as ClickHouse, derives from it; the journey-store suite derives from it too, so the
/// SQLite and PostgreSQL adapters run these tests as well.
/// </summary>
public abstract partial class EventLogStoreSpecification : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(3));

    protected static readonly FunnelDefinition Pipeline = new FunnelDefinitionBuilder("pipeline")
        .AddStage("request", s => s.WithIdleLimit(TimeSpan.FromHours(4)))
        .AddStage("proposal", s => s.WithIdleLimit(TimeSpan.FromDays(2)))
        .AddStage("deciding")
        .AddStage("won")
        .AddStage("repeat")
        .WonAt("won")
        .AddLossReasons(LossReasonCatalog.Standard)
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .Build();

    /// <summary>Keys that would break a store that concatenates SQL.</summary>
    protected const string Hostile = "'); DROP TABLE funnel_journeys;--";

    protected static readonly FunnelDefinition HostileFunnel = new FunnelDefinitionBuilder("x'); DROP TABLE funnel_events;--")
        .AddStage(Hostile)
        .AddStage("\" OR 1=1 --")
        .AddStage("stage; DELETE FROM funnel_outbox")
        .WonAt("stage; DELETE FROM funnel_outbox")
        .AddLossReason("'; TRUNCATE funnel_journey_history; --")
        .WithTransitionOptions(TransitionOptions.FreeForm)
        .Build();

    private readonly List<IAsyncDisposable> _stores = [];

    /// <summary>Creates a fresh, empty database for one test.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Deletes the test's database.</summary>
    protected abstract Task DropDatabaseAsync();

    /// <summary>Creates a new event log store over the test's database.</summary>
    protected abstract EventLogStore CreateEventLogStore();

    public virtual async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Assert.True(await NewEventLog().EnsureCreatedAsync() > 0);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected EventLogStore NewEventLog()
    {
        var store = CreateEventLogStore();
        Track(store);
        return store;
    }

    /// <summary>Disposes <paramref name="store"/> when the test ends.</summary>
    protected void Track(IAsyncDisposable store) => _stores.Add(store);

    protected static async Task<List<FunnelEvent>> ReadAllAsync(EventLogStore log, FunnelDefinition definition, int chunkSize = EventLogStore.DefaultChunkSize)
    {
        var events = new List<FunnelEvent>();
        await foreach (var chunk in log.ReadAsync(definition, chunkSize))
        {
            events.AddRange(chunk.ToEvents());
        }

        return events;
    }
}
