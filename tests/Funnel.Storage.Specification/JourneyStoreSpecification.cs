using System.Collections.Concurrent;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// The conformance suite for storage adapters: every adapter's test class derives from it, supplies a fresh
/// database per test and the factories, and runs every test here against the real database.
/// </summary>
public abstract partial class JourneyStoreSpecification : EventLogStoreSpecification
{
    /// <summary>The newest schema version the stores know; <c>EnsureCreatedAsync</c> returns it.</summary>
    protected const int SchemaVersion = 3;

    protected JourneyStoreOptions DefaultOptions { get; } = JourneyStoreOptions.For(Pipeline, HostileFunnel, GeneratedLogs.Definition("generated"));

    /// <summary>Creates a new store instance (a new connection pool) over the test's database.</summary>
    protected abstract JourneyStore CreateStore(JourneyStoreOptions options);

    /// <summary>Makes the database fail (raise an error) when an outbox row with this payload is inserted — a transaction killed midway.</summary>
    protected abstract Task InstallOutboxFailureAsync(string poisonPayload);

    /// <summary>Runs one SQL statement (no parameters) on the test's database, outside any store.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>Gets the column definitions the database used for auto-numbered keys in schema version 1: the outbox id and the event sequence.</summary>
    protected abstract (string OutboxId, string EventSequence) Version1IdentityColumns { get; }

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Assert.Equal(SchemaVersion, await NewStore().EnsureCreatedAsync());
    }

    protected JourneyStore NewStore(JourneyStoreOptions? options = null)
    {
        var store = CreateStore(options ?? DefaultOptions);
        Track(store);
        return store;
    }

    protected static Journey Rich(string id)
    {
        var journey = Journey.Start(Pipeline, id, T0, "web-form", [KeyValuePair.Create("owner", "ann"), KeyValuePair.Create("source", "ads")]);
        journey = journey.RecordAttempt(T0.AddMinutes(5)).GetJourneyOrThrow();
        journey = journey.MoveTo("proposal", T0.AddHours(1).ToOffset(TimeSpan.FromHours(-5)), "ann", "sent the PDF").GetJourneyOrThrow();
        journey = journey.RecordAttempt(T0.AddHours(2)).GetJourneyOrThrow().RecordAttempt(T0.AddHours(3)).GetJourneyOrThrow();
        journey = journey.MarkLost(LossReasonCatalog.Standard[0].Key, T0.AddDays(1), "bob", "went silent").GetJourneyOrThrow();
        journey = journey.Reopen(T0.AddDays(2), "ann").GetJourneyOrThrow();
        return journey.SetAttribute("amount", "1200").GetJourneyOrThrow();
    }

    [Fact]
    public async Task EnsureCreated_CalledAgainAndConcurrently_KeepsTheSchemaVersion()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewStore().EnsureCreatedAsync()));
        Assert.All(results, version => Assert.Equal(SchemaVersion, version));
        Assert.Equal(SchemaVersion, await NewEventLog().EnsureCreatedAsync());
    }

    [Fact]
    public async Task Insert_ThenLoad_RestoresEveryValue()
    {
        var store = NewStore();
        var journey = Rich("lead-1");
        var result = await store.InsertAsync(journey);
        Assert.Equal(SaveOutcome.Saved, result.Outcome);
        Assert.Equal(journey.Version, result.StoredVersion);

        var loaded = await store.LoadAsync("lead-1");

        Assert.NotNull(loaded);
        Assert.Equal(journey, loaded);
        Assert.Equal(journey.History.ToArray(), loaded.History.ToArray());
        Assert.Equal(TimeSpan.FromHours(-5), loaded.History[1].At.Offset);
        Assert.Equal(1, loaded.GetAttempts("request")); // the 2 at "proposal" were reset by the reopening (attempts count per stay)
        Assert.Equal("1200", loaded.Attributes["amount"]);
        Assert.Same(Pipeline, loaded.Definition);
    }

    [Fact]
    public async Task Insert_ClosedJourneys_RoundTripStatusReasonAndClosingTime()
    {
        var store = NewStore();
        var won = Journey.Start(Pipeline, "won-1", T0).MarkWon(T0.AddHours(1)).GetJourneyOrThrow();
        var lost = Journey.Start(Pipeline, "lost-1", T0).MarkLost(LossReasonCatalog.Standard[1].Key, T0.AddHours(2)).GetJourneyOrThrow();
        await store.InsertAsync(won);
        await store.InsertAsync(lost);

        Assert.Equal(won, await store.LoadAsync("won-1"));
        var loadedLost = await store.LoadAsync("lost-1");
        Assert.Equal(lost, loadedLost);
        Assert.Equal(JourneyStatus.Lost, loadedLost!.Status);
        Assert.Equal(LossReasonCatalog.Standard[1].Key, loadedLost.LossReason!.Key);
        Assert.Equal(T0.AddHours(2), loadedLost.ClosedAt);
    }

    [Fact]
    public async Task Load_UnknownId_ReturnsNull()
    {
        Assert.Null(await NewStore().LoadAsync("nobody"));
        Assert.Empty(await NewStore().GetHistoryAsync("nobody"));
    }

    [Fact]
    public async Task Insert_ExistingId_ReturnsAlreadyExistsAndKeepsTheStoredJourney()
    {
        var store = NewStore();
        var first = Journey.Start(Pipeline, "dup", T0);
        await store.InsertAsync(first);

        var second = await store.InsertAsync(Rich("dup"), [new OutboxMessage("task.create", "{}", T0)]);

        Assert.Equal(SaveOutcome.AlreadyExists, second.Outcome);
        Assert.Equal(0, second.StoredVersion);
        Assert.Equal(first, await store.LoadAsync("dup"));
        Assert.Empty(await store.ReadOutboxAsync());
    }

    [Fact]
    public async Task Save_FromTheStoredVersion_AppendsOnlyTheNewHistory()
    {
        var store = NewStore();
        var journey = Journey.Start(Pipeline, "lead-2", T0);
        await store.InsertAsync(journey);
        var moved = journey.MoveTo("proposal", T0.AddHours(1), "ann").GetJourneyOrThrow()
            .MoveTo("deciding", T0.AddHours(2), "ann").GetJourneyOrThrow();

        var result = await store.SaveAsync(moved, journey.Version);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(2, result.StoredVersion);
        var loaded = await store.LoadAsync("lead-2");
        Assert.Equal(moved, loaded);
        Assert.Equal(moved.History.ToArray(), (await store.GetHistoryAsync("lead-2")).ToArray());
    }

    [Fact]
    public async Task Save_StaleVersion_ReturnsVersionConflictAndWritesNothing()
    {
        var store = NewStore();
        var journey = Journey.Start(Pipeline, "lead-3", T0);
        await store.InsertAsync(journey);
        var winner = journey.MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow();
        var loser = journey.MoveTo("deciding", T0.AddHours(1)).GetJourneyOrThrow();
        await store.SaveAsync(winner, 0);

        var result = await store.SaveAsync(loser, 0, [new OutboxMessage("notify", "lost race", T0)]);

        Assert.Equal(SaveOutcome.VersionConflict, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(0, result.ExpectedVersion);
        Assert.Equal(1, result.StoredVersion);
        Assert.Equal(winner, await store.LoadAsync("lead-3"));
        Assert.Empty(await store.ReadOutboxAsync());
    }

    [Fact]
    public async Task Save_JourneyNotStored_ReturnsNotFound()
    {
        var moved = Journey.Start(Pipeline, "ghost", T0).MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow();

        var result = await NewStore().SaveAsync(moved, 0);

        Assert.Equal(SaveOutcome.NotFound, result.Outcome);
        Assert.Null(result.StoredVersion);
    }

    [Fact]
    public async Task Save_ConcurrentWriters_ExactlyOneWinsEachVersionAndNothingIsLostOrDuplicated()
    {
        const int Writers = 6;
        var setup = NewStore();
        await setup.InsertAsync(Journey.Start(Pipeline, "hot", T0));
        var wins = new ConcurrentBag<long>();
        var conflicts = 0;
        using var gate = new SemaphoreSlim(0);

        async Task Writer(int n)
        {
            var store = NewStoreThreadSafe();
            await gate.WaitAsync();
            while (true)
            {
                var current = (await store.LoadAsync("hot"))!;
                var stage = current.CurrentStage.Key == "request" ? "proposal" : "request";
                var changed = current.MoveTo(stage, current.LastChangedAt.AddMinutes(1), "writer-" + n).GetJourneyOrThrow();
                var result = await store.SaveAsync(changed, current.Version, [new OutboxMessage("task.create", "writer-" + n, T0)]);
                if (result.Succeeded)
                {
                    wins.Add(changed.Version);
                    return;
                }

                Assert.Equal(SaveOutcome.VersionConflict, result.Outcome);
                Assert.True(result.StoredVersion > current.Version);
                Interlocked.Increment(ref conflicts);
            }
        }

        var tasks = Enumerable.Range(0, Writers).Select(n => Task.Run(() => Writer(n))).ToArray();
        gate.Release(Writers);
        await Task.WhenAll(tasks);

        var final = (await setup.LoadAsync("hot"))!;
        Assert.Equal(Writers, final.Version);
        Assert.Equal(Enumerable.Range(1, Writers).Select(v => (long)v), wins.Order());
        var moves = final.History.Skip(1).ToList();
        Assert.Equal(Writers, moves.Count);
        Assert.Equal(Enumerable.Range(0, Writers).Select(n => "writer-" + n).Order(), moves.Select(m => m.Actor!).Order());
        var outbox = await setup.ReadOutboxAsync(1000);
        Assert.Equal(Writers, outbox.Count);
        Assert.Equal(moves.Select(m => m.Actor!).Order(), outbox.Select(o => o.Message.Payload).Order());
        Assert.Equal(Enumerable.Range(1, Writers).Select(v => (long)v), outbox.Select(o => o.JourneyVersion).Order());
    }

    private readonly object _storesLock = new();

    private JourneyStore NewStoreThreadSafe()
    {
        lock (_storesLock)
        {
            return NewStore();
        }
    }

    [Fact]
    public async Task Outbox_WrittenWithTheMove_IsReadableInOrderAndAcknowledgeable()
    {
        var store = NewStore();
        var journey = Journey.Start(Pipeline, "lead-4", T0);
        await store.InsertAsync(journey, [new OutboxMessage("notify.manager", "{\"lead\":\"lead-4\"}", T0)]);
        var moved = journey.MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow();
        await store.SaveAsync(moved, 0, [new OutboxMessage("task.create", "call the client", T0.AddHours(1)), new OutboxMessage("email.send", string.Empty, T0.AddHours(1))]);

        var pending = await store.ReadOutboxAsync();

        Assert.Equal(["notify.manager", "task.create", "email.send"], pending.Select(p => p.Message.Type));
        Assert.Equal([0L, 1L, 1L], pending.Select(p => p.JourneyVersion));
        Assert.All(pending, p => Assert.Equal("lead-4", p.JourneyId));
        Assert.All(pending, p => Assert.Null(p.AcknowledgedAt));
        Assert.True(pending[0].Id < pending[1].Id && pending[1].Id < pending[2].Id);
        Assert.Equal(T0.AddHours(1), pending[1].Message.CreatedAt);
        Assert.Equal(T0.Offset, pending[1].Message.CreatedAt.Offset);

        Assert.Equal(2, await store.AcknowledgeOutboxAsync([pending[0].Id, pending[2].Id, 987654], T0.AddHours(2)));
        Assert.Equal(0, await store.AcknowledgeOutboxAsync([pending[0].Id], T0.AddHours(3)));

        var left = await store.ReadOutboxAsync();
        Assert.Equal([pending[1].Id], left.Select(p => p.Id));
        var all = await store.ReadOutboxAsync(includeAcknowledged: true);
        Assert.Equal(3, all.Count);
        Assert.Equal(T0.AddHours(2), all[0].AcknowledgedAt);
    }

    [Fact]
    public async Task Outbox_TransactionKilledMidway_LeavesNothingOfTheMoveVisible()
    {
        var store = NewStore();
        var journey = Journey.Start(Pipeline, "lead-5", T0);
        await store.InsertAsync(journey);
        await InstallOutboxFailureAsync("poison");
        var moved = journey.MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow().SetAttribute("owner", "zed").GetJourneyOrThrow();

        // The journey row, its history entry and the first message are written before the database fails the second.
        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveAsync(moved, 0, [new OutboxMessage("task.create", "fine", T0), new OutboxMessage("task.create", "poison", T0)]));

        var fresh = NewStore();
        Assert.Equal(journey, await fresh.LoadAsync("lead-5"));
        Assert.Single(await fresh.GetHistoryAsync("lead-5"));
        Assert.Empty(await fresh.ReadOutboxAsync(includeAcknowledged: true));
        Assert.Empty(await fresh.QueryAsync(JourneyQuery.All.OwnedBy("zed")));

        // And the store still works afterwards.
        Assert.True((await fresh.SaveAsync(moved, 0, [new OutboxMessage("task.create", "fine", T0)])).Succeeded);
        Assert.Single(await fresh.ReadOutboxAsync());
    }

    [Fact]
    public async Task Restart_NewStoreInstance_SeesEverythingCommitted()
    {
        var first = NewStore();
        await first.InsertAsync(Rich("lead-6"), [new OutboxMessage("task.create", "x", T0)]);
        var events = NewEventLog();
        await events.AppendAsync(Pipeline, [new FunnelEvent("lead-6", "request", T0)]);
        await first.DisposeAsync();
        await events.DisposeAsync();

        var second = NewStore();
        Assert.Equal(SchemaVersion, await second.EnsureCreatedAsync());
        Assert.Equal(Rich("lead-6"), await second.LoadAsync("lead-6"));
        Assert.Single(await second.ReadOutboxAsync());
        Assert.Equal(1, await NewEventLog().CountAsync(Pipeline));
    }

    [Fact]
    public async Task Query_ByStageStatusOwnerAndFunnel_ReturnsMatchesInIdOrder()
    {
        var store = NewStore();
        await store.InsertAsync(Journey.Start(Pipeline, "c", T0, attributes: [KeyValuePair.Create("owner", "ann")]));
        await store.InsertAsync(Journey.Start(Pipeline, "a", T0, attributes: [KeyValuePair.Create("owner", "bob")]));
        await store.InsertAsync(Journey.Start(Pipeline, "b", T0, attributes: [KeyValuePair.Create("owner", "ann")]).MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow());
        await store.InsertAsync(Journey.Start(Pipeline, "d", T0).MarkLost(LossReasonCatalog.Standard[0].Key, T0.AddHours(1)).GetJourneyOrThrow());
        await store.InsertAsync(Journey.Start(HostileFunnel, "h", T0));

        static string Ids(IReadOnlyList<Journey> journeys) => string.Join(",", journeys.Select(j => j.Id));

        Assert.Equal("a,b,c,d,h", Ids(await store.QueryAsync(JourneyQuery.All)));
        Assert.Equal("a,c,d", Ids(await store.QueryAsync(JourneyQuery.All.ForFunnel("pipeline").InStage("request"))));
        Assert.Equal("a,c", Ids(await store.QueryAsync(JourneyQuery.All.InStage("request").WithStatus(JourneyStatus.Open))));
        Assert.Equal("d", Ids(await store.QueryAsync(JourneyQuery.All.WithStatus(JourneyStatus.Lost))));
        Assert.Equal("b,c", Ids(await store.QueryAsync(JourneyQuery.All.OwnedBy("ann"))));
        Assert.Equal("c", Ids(await store.QueryAsync(JourneyQuery.All.OwnedBy("ann").InStage("request"))));
        Assert.Equal("h", Ids(await store.QueryAsync(JourneyQuery.All.ForFunnel(HostileFunnel.Key))));
        Assert.Equal("a,b", Ids(await store.QueryAsync(JourneyQuery.All.Take(2))));
        Assert.Equal("c,d", Ids(await store.QueryAsync(JourneyQuery.All.After("b").Take(2))));
        Assert.Empty(await store.QueryAsync(JourneyQuery.All.OwnedBy("nobody")));
    }

    [Fact]
    public async Task FindIdle_AsOfATime_ReturnsOpenJourneysPastTheirStageLimitLongestIdleFirst()
    {
        var store = NewStore();
        await store.InsertAsync(Journey.Start(Pipeline, "fresh", T0.AddHours(3)));                 // request, 2 h idle at T0+5h
        await store.InsertAsync(Journey.Start(Pipeline, "stale", T0));                             // request, 5 h idle
        await store.InsertAsync(Journey.Start(Pipeline, "staler", T0.AddHours(-1)));              // request, 6 h idle
        await store.InsertAsync(Journey.Start(Pipeline, "proposal", T0).MoveTo("proposal", T0.AddHours(1)).GetJourneyOrThrow()); // limit 2 days
        await store.InsertAsync(Journey.Start(Pipeline, "deciding", T0.AddDays(-30)).MoveTo("deciding", T0.AddDays(-29)).GetJourneyOrThrow()); // no limit
        await store.InsertAsync(Journey.Start(Pipeline, "lost", T0.AddDays(-3)).MarkLost(LossReasonCatalog.Standard[0].Key, T0.AddDays(-3)).GetJourneyOrThrow());
        await store.InsertAsync(Journey.Start(HostileFunnel, "other-funnel", T0.AddDays(-3)));

        var idle = await store.FindIdleAsync(Pipeline, T0.AddHours(5));
        Assert.Equal(["staler", "stale"], idle.Select(j => j.Id));

        var later = await store.FindIdleAsync(Pipeline, T0.AddDays(3), limit: 10);
        Assert.Equal(["staler", "stale", "proposal", "fresh"], later.Select(j => j.Id));
        Assert.Single(await store.FindIdleAsync(Pipeline, T0.AddDays(3), limit: 1));
        Assert.Empty(await store.FindIdleAsync(HostileFunnel, T0.AddDays(30)));
    }

    [Fact]
    public async Task HostileKeys_InEveryValue_AreStoredAndMatchedLiterally()
    {
        var store = NewStore();
        var journey = Journey.Start(HostileFunnel, Hostile, T0, Hostile, [KeyValuePair.Create(Hostile, Hostile), KeyValuePair.Create("owner", Hostile)])
            .MoveTo("\" OR 1=1 --", T0.AddHours(1), Hostile, Hostile).GetJourneyOrThrow()
            .MarkLost("'; TRUNCATE funnel_journey_history; --", T0.AddHours(2), Hostile, Hostile).GetJourneyOrThrow();
        Assert.True((await store.InsertAsync(journey, [new OutboxMessage(Hostile, Hostile, T0)])).Succeeded);
        await store.InsertAsync(Journey.Start(Pipeline, "bystander", T0));

        Assert.Equal(journey, await store.LoadAsync(Hostile));
        Assert.Equal([Hostile], (await store.QueryAsync(JourneyQuery.All.ForFunnel(HostileFunnel.Key).InStage("\" OR 1=1 --").OwnedBy(Hostile))).Select(j => j.Id));
        Assert.Equal([Hostile], (await store.QueryAsync(JourneyQuery.All.WithAttribute(Hostile, Hostile))).Select(j => j.Id));
        Assert.Empty(await store.QueryAsync(JourneyQuery.All.ForFunnel("' OR '1'='1")));
        Assert.Equal(Hostile, (await store.ReadOutboxAsync()).Single().Message.Payload);

        var log = NewEventLog();
        await log.AppendAsync(HostileFunnel, [new FunnelEvent(Hostile, Hostile, T0, segment: Hostile), new FunnelEvent(Hostile, "\" OR 1=1 --", T0.AddHours(1), "'; TRUNCATE funnel_journey_history; --")]);
        var report = await log.ComputeAggregatesAsync(HostileFunnel, TimeSpan.FromDays(1));
        Assert.Equal(1, report.Transitions[0, report.LostColumn]);
        var read = await ReadAllAsync(log, HostileFunnel);
        Assert.Equal(Hostile, read[0].EntityId);
        Assert.Equal(Hostile, read[0].Segment);

        // Every table is still there and intact.
        Assert.Equal(2, (await store.QueryAsync(JourneyQuery.All)).Count);
        Assert.Equal(3, (await store.GetHistoryAsync(Hostile)).Length);
        Assert.Equal(2, await log.CountAsync(HostileFunnel));
    }
}
