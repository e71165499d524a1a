using Funnel.Core;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Serialization.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Extensions.Hosting.Tests;

public sealed class WorkflowTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AcceptedMove_SavesJourneyHistoryAndTheRunsCommandsAsOutboxMessages_InOneCall(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        using var host = TestHosts.Build(database);
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();

        Assert.Equal(JourneyChangeOutcome.Saved, (await workflow.StartAsync("pipeline", "lead-1")).Outcome);
        var moved = await workflow.MoveAsync("lead-1", new StageKey("proposal"), expectedVersion: 0, actor: "anna");

        Assert.Equal(JourneyChangeOutcome.Saved, moved.Outcome);
        Assert.Equal(1, moved.StoredVersion);
        var message = Assert.Single(moved.OutboxMessages);
        var stored = await workflow.Store.LoadAsync("lead-1");
        Assert.Equal("proposal", stored!.CurrentStage.Key.Value);
        Assert.Equal(2, stored.History.Length);
        var outbox = Assert.Single(await workflow.Store.ReadOutboxAsync());
        Assert.Equal(1, outbox.JourneyVersion);
        Assert.Equal(message.Payload, outbox.Message.Payload);
        var command = Assert.IsType<Funnel.Core.Rules.NotifyCommand>(FunnelJson.ReadOutboxCommand(outbox.Message));
        Assert.Equal("lead-1 entered proposal", command.Message);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task RejectedMove_StaleVersion_AndUnknownJourney_AreResults_AndSaveNothing(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        using var host = TestHosts.Build(database);
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
        await workflow.StartAsync("pipeline", "lead-2");

        var rejected = await workflow.MoveAsync("lead-2", new StageKey("invoice"));
        Assert.Equal(JourneyChangeOutcome.Rejected, rejected.Outcome);
        Assert.Equal("An invoice needs a proposal first.", Assert.Single(rejected.Violations).Message);

        var unknownStage = await workflow.MoveAsync("lead-2", new StageKey("nowhere"));
        Assert.Equal(JourneyChangeOutcome.Rejected, unknownStage.Outcome);
        Assert.Contains(unknownStage.Violations, v => v.Message.Contains("nowhere", StringComparison.Ordinal));

        var stale = await workflow.MoveAsync("lead-2", new StageKey("proposal"), expectedVersion: 7);
        Assert.Equal(JourneyChangeOutcome.VersionConflict, stale.Outcome);
        Assert.Equal(0, stale.StoredVersion);

        Assert.Equal(JourneyChangeOutcome.NotFound, (await workflow.MoveAsync("nobody", new StageKey("proposal"))).Outcome);
        Assert.Equal(JourneyChangeOutcome.AlreadyExists, (await workflow.StartAsync("pipeline", "lead-2")).Outcome);

        Assert.Equal(0, (await workflow.Store.LoadAsync("lead-2"))!.Version);
        Assert.Empty(await workflow.Store.ReadOutboxAsync());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ConcurrentMovesOfOneJourney_SaveExactlyOne_TheOthersGetAConflict(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        using var host = TestHosts.Build(database);
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
        await workflow.StartAsync("pipeline", "lead-3");

        string[] stages = ["proposal", "won", "proposal", "won", "proposal", "won"];
        var results = await Task.WhenAll(stages.Select(stage => Task.Run(() => workflow.MoveAsync("lead-3", new StageKey(stage), expectedVersion: 0))));

        Assert.Equal(1, results.Count(r => r.Outcome == JourneyChangeOutcome.Saved));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(JourneyChangeOutcome.VersionConflict, r.Outcome));
        Assert.Equal(1, (await workflow.Store.LoadAsync("lead-3"))!.Version);
        Assert.Single(await workflow.Store.ReadOutboxAsync());
        await host.StopAsync();
    }
}
