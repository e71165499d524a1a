using System.Diagnostics;
using Funnel.Core;
using Funnel.Core.Telemetry;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Extensions.Hosting.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Funnel.Extensions.Hosting.Tests;

/// <summary>Runs alone: OpenTelemetry listens to every meter named "Funnel" in the process, so other tests' hosts would add to the counts.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryRunsAlone;

[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task OneMoveSaveDispatch_ShowsItsSpansAndMetrics_InTheOpenTelemetryInMemoryExporter()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var host = TestHosts.Build(
            database,
            (_, _) => ValueTask.CompletedTask,
            services: s => s.AddOpenTelemetry()
                .WithTracing(t => t.AddSource(FunnelTelemetry.ActivitySourceName).AddInMemoryExporter(spans))
                .WithMetrics(m => m.AddMeter(FunnelTelemetry.MeterName).AddInMemoryExporter(metrics)));
        await host.StartAsync();
        var workflow = host.Services.GetRequiredService<FunnelJourneyWorkflow>();
        var journeyId = "lead-" + Guid.NewGuid().ToString("N");
        await workflow.StartAsync("pipeline", journeyId);
        Assert.True((await workflow.MoveAsync(journeyId, new StageKey("proposal"))).Succeeded);
        await DispatcherTests.WaitUntilAsync(async () => (await workflow.Store.GetOutboxStatusAsync()).PendingCount == 0);
        await host.StopAsync();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var mine = spans.Where(s => Equals(s.GetTagItem("funnel.journey"), journeyId)).ToList();
        var move = Assert.Single(mine, s => s.OperationName == FunnelHostingTelemetry.MoveActivity && Equals(s.GetTagItem("funnel.kind"), "Move"));
        Assert.Equal("pipeline", move.GetTagItem("funnel"));
        Assert.Equal("saved", move.GetTagItem("funnel.outcome"));
        var save = Assert.Single(mine, s => s.OperationName == FunnelHostingTelemetry.SaveActivity);
        Assert.Equal(move.SpanId, save.ParentSpanId);
        Assert.Equal(1, save.GetTagItem("funnel.outbox.count"));
        Assert.Contains(mine, s => s.OperationName == FunnelTelemetry.EvaluateActivity && s.ParentSpanId == move.SpanId);
        var dispatch = Assert.Single(mine, s => s.OperationName == FunnelHostingTelemetry.DispatchActivity);
        Assert.Equal("delivered", dispatch.GetTagItem("funnel.outcome"));
        Assert.Equal("funnel.notify", dispatch.GetTagItem("funnel.outbox.type"));

        Assert.Equal(2, Sum(metrics, FunnelHostingTelemetry.Saves, ("outcome", "saved")));
        Assert.Equal(1, Sum(metrics, FunnelHostingTelemetry.OutboxWritten, ("type", "funnel.notify")));
        Assert.Equal(1, Sum(metrics, FunnelHostingTelemetry.OutboxDelivered, ("type", "funnel.notify")));
        Assert.Contains(metrics, m => m.Name == FunnelHostingTelemetry.OutboxDeliveryLag);
        Assert.Contains(metrics, m => m.Name == FunnelTelemetry.Transitions);
    }

    [Fact]
    public void WithoutAMeterFactory_TheInstrumentsUseTheStaticFallbackMeter()
    {
        var instruments = new FunnelHostingInstruments();
        var again = new FunnelHostingInstruments();

        Assert.Equal(FunnelTelemetry.MeterName, instruments.Saves.Meter.Name);
        Assert.Same(instruments.Saves.Meter, again.Saves.Meter);
    }

    private static long Sum(List<Metric> metrics, string name, (string Key, string Value) tag)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var pair in point.Tags)
                {
                    if (pair.Key == tag.Key && Equals(pair.Value, tag.Value))
                    {
                        total += point.GetSumLong();
                    }
                }
            }
        }

        return total;
    }
}
