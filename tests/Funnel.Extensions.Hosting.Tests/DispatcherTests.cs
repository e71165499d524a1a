using System.Collections.Concurrent;
using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Extensions.Hosting.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Extensions.Hosting.Tests;

public sealed class DispatcherTests
{
    private static readonly string[] Path = ["proposal", "invoice", "won"];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EveryMessage_IsDeliveredOnceInJourneyOrder_AndAcknowledged(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var delivered = new ConcurrentQueue<(string Journey, long Id, string Text)>();
        using var host = TestHosts.Build(database, (d, _) =>
        {
            delivered.Enqueue((d.JourneyId, d.MessageId, ((Funnel.Core.Rules.NotifyCommand)d.ReadCommand()).Message));
            return ValueTask.CompletedTask;
        });
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
        await MoveLeadsAsync(workflow, 3);

        await WaitUntilAsync(async () => (await workflow.Store.GetOutboxStatusAsync()).PendingCount == 0);
        await host.StopAsync();

        Assert.Equal(9, delivered.Count);
        Assert.Equal(9, delivered.Select(d => d.Id).Distinct().Count());
        foreach (var lead in delivered.GroupBy(d => d.Journey))
        {
            Assert.Equal(Path.Select(stage => $"{lead.Key} entered {stage}"), lead.Select(d => d.Text));
        }

        Assert.All(await workflow.Store.ReadOutboxAsync(includeAcknowledged: true), e => Assert.NotNull(e.AcknowledgedAt));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AFailingMessage_IsRetriedWithBackoff_HoldsItsJourneysLaterMessages_AndIsParkedAfterMaxAttempts(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var delivered = new List<string>();
        using var host = TestHosts.Build(
            database,
            services: s => s.AddSingleton<TimeProvider>(clock));
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
        await MoveLeadsAsync(workflow, 2);
        var options = new Configuration.FunnelHostingOptions();
        options.Outbox.MaxAttempts = 3;
        options.Outbox.InitialBackoff = TimeSpan.FromSeconds(10);
        options.Outbox.MaxBackoff = TimeSpan.FromSeconds(15);
        var dispatcher = new FunnelOutboxDispatcher(
            workflow.Store,
            new Internal.DelegateOutboxHandler((d, _) =>
            {
                var text = ((Funnel.Core.Rules.NotifyCommand)d.ReadCommand()).Message;
                if (text == "lead-0 entered invoice")
                {
                    throw new InvalidOperationException("the CRM refused the task");
                }

                delivered.Add(text);
                return ValueTask.CompletedTask;
            }),
            Microsoft.Extensions.Options.Options.Create(options),
            clock,
            new FunnelOutboxSignal(),
            new Telemetry.FunnelHostingInstruments());

        // lead-0's second message fails: its third waits behind it; lead-1 goes on.
        Assert.Equal(5, await dispatcher.DispatchOnceAsync());
        Assert.Equal(["lead-0 entered proposal", "lead-1 entered proposal", "lead-1 entered invoice", "lead-1 entered won"], delivered);
        var failing = (await workflow.Store.ReadDeliverableOutboxAsync(10))[0];
        Assert.Equal(1, failing.FailedAttempts);
        Assert.Equal("InvalidOperationException: the CRM refused the task", failing.LastError);
        Assert.Equal(clock.Now.AddSeconds(10), failing.NextAttemptAt);

        Assert.Equal(0, await dispatcher.DispatchOnceAsync()); // not due yet
        clock.Now = clock.Now.AddSeconds(10);
        Assert.Equal(1, await dispatcher.DispatchOnceAsync());
        Assert.Equal(clock.Now.AddSeconds(15), (await workflow.Store.ReadDeliverableOutboxAsync(10))[0].NextAttemptAt); // 20 s capped at 15 s
        clock.Now = clock.Now.AddSeconds(15);

        // The third failure parks it; lead-0's last message then goes on in the same pass.
        Assert.Equal(2, await dispatcher.DispatchOnceAsync());
        Assert.Contains("lead-0 entered won", delivered);
        var status = await workflow.Store.GetOutboxStatusAsync();
        Assert.Equal(0, status.PendingCount);
        Assert.Equal(1, status.ParkedCount);
        var parked = Assert.Single(await workflow.Store.ReadOutboxAsync());
        Assert.Equal(3, parked.FailedAttempts);
        Assert.Equal(clock.Now, parked.ParkedAt);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task StoppingTheHostMidDispatch_AndRestarting_LosesNothing_AndKeepsEachJourneysOrder(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var attempts = new ConcurrentQueue<(string Journey, long Id)>();
        var completed = new ConcurrentDictionary<long, bool>();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        using (var first = TestHosts.Build(database, async (d, token) =>
        {
            attempts.Enqueue((d.JourneyId, d.MessageId));
            if (Interlocked.Increment(ref count) == 7)
            {
                // The seventh message is in the handler when the host stops: it never finishes.
                inHandler.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            completed[d.MessageId] = true;
        }))
        {
            await first.StartAsync();
            await MoveLeadsAsync(first.Services.GetRequiredService<FunnelJourneyWorkflow>(), 5);
            await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await first.StopAsync();
        }

        var all = await ReadAllAsync(database);
        Assert.Equal(15, all.Count);
        Assert.True(all.Count(e => e.AcknowledgedAt is null) >= 9, "the stopped dispatcher left the unfinished and the unstarted messages pending");

        using (var second = TestHosts.Build(database, (d, _) =>
        {
            attempts.Enqueue((d.JourneyId, d.MessageId));
            completed[d.MessageId] = true;
            return ValueTask.CompletedTask;
        }))
        {
            await second.StartAsync();
            var store = second.Services.GetRequiredService<JourneyStore>();
            await WaitUntilAsync(async () => (await store.GetOutboxStatusAsync()).PendingCount == 0);
            await second.StopAsync();
        }

        all = await ReadAllAsync(database);
        Assert.All(all, e => Assert.True(completed.ContainsKey(e.Id), $"message {e} was never delivered"));
        Assert.All(all, e => Assert.NotNull(e.AcknowledgedAt));
        foreach (var journey in attempts.GroupBy(a => a.Journey))
        {
            var ids = journey.Select(a => a.Id).ToArray();
            Assert.True(ids.Zip(ids.Skip(1)).All(p => p.First <= p.Second), $"{journey.Key} saw its messages out of order: {string.Join(", ", ids)}");
        }
    }

    private static async Task<IReadOnlyList<OutboxEntry>> ReadAllAsync(TestDatabase database)
    {
        using var host = TestHosts.Build(database);
        var store = host.Services.GetRequiredService<JourneyStore>();
        await store.EnsureCreatedAsync();
        return await store.ReadOutboxAsync(1000, includeAcknowledged: true);
    }

    internal static async Task MoveLeadsAsync(FunnelJourneyWorkflow workflow, int leads, string prefix = "lead")
    {
        for (var i = 0; i < leads; i++)
        {
            await workflow.StartAsync("pipeline", $"{prefix}-{i}");
        }

        foreach (var stage in Path)
        {
            for (var i = 0; i < leads; i++)
            {
                var change = stage == "won"
                    ? await workflow.MarkWonAsync($"{prefix}-{i}")
                    : await workflow.MoveAsync($"{prefix}-{i}", new StageKey(stage));
                Assert.True(change.Succeeded, change.ToString());
            }
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 seconds");
            await Task.Delay(20);
        }
    }
}

/// <summary>A clock the test sets by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
