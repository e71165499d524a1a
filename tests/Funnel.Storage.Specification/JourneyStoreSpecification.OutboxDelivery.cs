using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>Schema version 3: the delivery state a dispatcher keeps per outbox message (attempts, last error, retry time, parking).</summary>
public abstract partial class JourneyStoreSpecification
{
    [Fact]
    public async Task OutboxFailure_IsCountedWithItsError_AndParkingHidesTheMessageFromDelivery()
    {
        var store = NewStore();
        await store.InsertAsync(
            Journey.Start(Pipeline, "lead-d", T0),
            [new OutboxMessage("task.create", "a", T0), new OutboxMessage("notify", "b", T0), new OutboxMessage("notify", "c", T0)]);
        var pending = await store.ReadDeliverableOutboxAsync(10);
        Assert.Equal(["a", "b", "c"], pending.Select(e => e.Message.Payload));
        Assert.All(pending, e => Assert.Equal(0, e.FailedAttempts));

        Assert.True(await store.RecordOutboxFailureAsync(pending[0].Id, "timeout\0 talking to the CRM", T0.AddSeconds(5), park: false));
        Assert.True(await store.RecordOutboxFailureAsync(pending[0].Id, "timeout again", T0.AddSeconds(15), park: false));
        Assert.True(await store.RecordOutboxFailureAsync(pending[1].Id, "bad payload", T0.AddMinutes(1), park: true));
        Assert.False(await store.RecordOutboxFailureAsync(pending[1].Id, "parked already", T0.AddMinutes(2), park: true));

        var deliverable = await store.ReadDeliverableOutboxAsync(10);
        Assert.Equal(["a", "c"], deliverable.Select(e => e.Message.Payload));
        Assert.Equal(2, deliverable[0].FailedAttempts);
        Assert.Equal("timeout again", deliverable[0].LastError);
        Assert.Equal(T0.AddSeconds(15), deliverable[0].NextAttemptAt);
        Assert.Null(deliverable[0].ParkedAt);

        var parked = (await store.ReadOutboxAsync()).Single(e => e.Id == pending[1].Id);
        Assert.Equal(1, parked.FailedAttempts);
        Assert.Equal("bad payload", parked.LastError);
        Assert.Equal(T0.AddMinutes(1), parked.ParkedAt);

        var status = await store.GetOutboxStatusAsync();
        Assert.Equal(2, status.PendingCount);
        Assert.Equal(1, status.ParkedCount);
        Assert.Equal(T0, status.OldestPendingCreatedAt);

        await store.AcknowledgeOutboxAsync(deliverable.Select(e => e.Id), T0.AddHours(1));
        Assert.Empty(await store.ReadDeliverableOutboxAsync(10));
        var drained = await store.GetOutboxStatusAsync();
        Assert.Equal(0, drained.PendingCount);
        Assert.Null(drained.OldestPendingCreatedAt);
    }

    [Fact]
    public async Task OutboxFailure_StoresAnErrorTextThatStoredTextRulesWouldRefuse()
    {
        var store = NewStore();
        await store.InsertAsync(Journey.Start(Pipeline, "lead-e", T0), [new OutboxMessage("notify", "x", T0)]);
        var id = (await store.ReadDeliverableOutboxAsync(1))[0].Id;

        Assert.True(await store.RecordOutboxFailureAsync(id, "nul\0 and lone \uD800 surrogate " + new string('x', 10_000), T0, park: false));

        var entry = (await store.ReadDeliverableOutboxAsync(1))[0];
        Assert.StartsWith("nul\uFFFD and lone \uFFFD surrogate ", entry.LastError, StringComparison.Ordinal);
        Assert.Equal(store.Options.MaxTextLength, entry.LastError!.Length);
    }

    [Fact]
    public async Task SchemaStatus_IsZeroBeforeCreation_AndCurrentAfterIt()
    {
        var store = NewStore();
        var status = await store.GetSchemaStatusAsync();
        Assert.Equal(SchemaVersion, status.CurrentVersion);
        Assert.Equal(SchemaVersion, status.LatestVersion);
        Assert.True(status.IsCurrent);

        await ExecuteSqlAsync("DELETE FROM funnel_schema WHERE version = " + SchemaVersion);
        var behind = await store.GetSchemaStatusAsync();
        Assert.Equal(SchemaVersion - 1, behind.CurrentVersion);
        Assert.False(behind.IsCurrent);

        await ExecuteSqlAsync("DROP TABLE funnel_schema");
        Assert.Equal(0, (await store.GetSchemaStatusAsync()).CurrentVersion);
    }
}
