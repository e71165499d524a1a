using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

public abstract partial class JourneyStoreSpecification
{
    [Fact]
    public async Task Insert_Null_ThrowsArgumentNull()
    {
        var store = NewStore();
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.InsertAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.InsertAsync(Journey.Start(Pipeline, "n", T0), [null!]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.QueryAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.AcknowledgeOutboxAsync(null!, T0));
        await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(" "));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LoadAsync(null!));
        Assert.Empty(await store.QueryAsync(JourneyQuery.All));
    }

    [Fact]
    public async Task Save_ExpectedVersionNotBelowTheJourneys_ThrowsArgumentOutOfRange()
    {
        var store = NewStore();
        var journey = Journey.Start(Pipeline, "v", T0);
        await store.InsertAsync(journey);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SaveAsync(journey, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SaveAsync(journey.MoveTo("proposal", T0).GetJourneyOrThrow(), -1));
    }

    [Fact]
    public async Task Insert_OversizedPayload_ThrowsNamingTheMessageAndStoresNothing()
    {
        var store = NewStore(new JourneyStoreOptions(DefaultOptions.DefinitionResolver, maxPayloadLength: 1000));
        var journey = Journey.Start(Pipeline, "big", T0);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(journey, [new OutboxMessage("ok", "x", T0), new OutboxMessage("report.attach", new string('x', 1001), T0)]));

        Assert.Contains("report.attach", error.Message, StringComparison.Ordinal);
        Assert.Contains("1001", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.LoadAsync("big"));
        Assert.Empty(await store.ReadOutboxAsync());
    }

    [Fact]
    public async Task Insert_PayloadAtTheDefaultLimit_RoundTrips()
    {
        var store = NewStore();
        var payload = string.Create(JourneyStoreOptions.DefaultMaxPayloadLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });

        await store.InsertAsync(Journey.Start(Pipeline, "max", T0), [new OutboxMessage("blob", payload, T0)]);

        Assert.Equal(payload, (await store.ReadOutboxAsync()).Single().Message.Payload);
    }

    [Fact]
    public async Task Insert_OversizedText_ThrowsNamingTheField()
    {
        var store = NewStore(new JourneyStoreOptions(DefaultOptions.DefinitionResolver, maxTextLength: 50));
        var journey = Journey.Start(Pipeline, "t", T0).MoveTo("proposal", T0, note: new string('n', 51)).GetJourneyOrThrow();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(journey));

        Assert.Contains("note", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.LoadAsync("t"));
    }

    [Fact]
    public async Task Insert_DefinitionUnknownToTheResolver_ThrowsFunnelStorageException()
    {
        var other = GeneratedLogs.Definition("unregistered");
        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => NewStore().InsertAsync(Journey.Start(other, "u", T0)));
        Assert.Contains("unregistered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_StoredStageTheDefinitionNoLongerHas_ThrowsNamingTheJourney()
    {
        await NewStore().InsertAsync(Journey.Start(Pipeline, "orphan", T0).MoveTo("repeat", T0.AddHours(1)).GetJourneyOrThrow());
        var shrunk = new FunnelDefinitionBuilder("pipeline").AddStage("request").AddStage("proposal").AddStage("won").WonAt("won").Build();
        var store = NewStore(JourneyStoreOptions.For(shrunk));

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => store.LoadAsync("orphan"));

        Assert.Contains("orphan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_FunnelTheResolverDoesNotKnow_ThrowsNamingTheFunnel()
    {
        await NewStore().InsertAsync(Journey.Start(Pipeline, "lonely", T0));
        var store = NewStore(new JourneyStoreOptions(_ => null));

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => store.LoadAsync("lonely"));

        Assert.Contains("'pipeline'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_UnknownStageKey_ThrowsNamingTheEventAndStoresNothing()
    {
        var log = NewEventLog();
        var events = new[]
        {
            new FunnelEvent("a", "request", T0),
            new FunnelEvent("a", "proposal", T0.AddHours(1)),
            new FunnelEvent("b", "no-such-stage", T0),
        };

        var error = await Assert.ThrowsAsync<FunnelStorageException>(() => log.AppendAsync(Pipeline, events));

        Assert.Contains("Event 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-stage", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await log.CountAsync(Pipeline));
    }

    [Fact]
    public async Task Append_UnknownLossReasonOrDefaultEvent_ThrowsAndStoresNothing()
    {
        var log = NewEventLog();
        await Assert.ThrowsAsync<FunnelStorageException>(() => log.AppendAsync(Pipeline, [new FunnelEvent("a", "request", T0, "made-up-reason")]));
        await Assert.ThrowsAsync<FunnelStorageException>(() => log.AppendAsync(Pipeline, [new FunnelEvent("a", "request", T0), default]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync(Pipeline, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync(null!, []));
        Assert.Equal(0, await log.CountAsync(Pipeline));
        Assert.Equal(0, await log.AppendAsync(Pipeline, []));
    }
}
