using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Funnel.Core.Rules;
using Funnel.Core.Telemetry;

namespace Funnel.Core.Tests.Telemetry;

public class FunnelTelemetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    // A funnel key of its own, so that measurements from tests running in parallel can be told apart.
    private static readonly FunnelDefinition Definition = new FunnelDefinitionBuilder("telemetry-test")
        .AddStage("new")
        .AddStage("qualified", s => s.WithKind(StageKind.Key))
        .AddStage("won")
        .WonAt("won")
        .AddLossReasons(LossReasonCatalog.Standard)
        .Build();

    [Fact]
    public void MeterListener_SeesTransitionsRejectionsLossesReopeningsAutomationsOverridesAndTimeInStage()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FunnelTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value?.ToString();
            }

            if (map.GetValueOrDefault("funnel") == "telemetry-test")
            {
                measurements.Enqueue((instrument.Name, value, map));
            }
        }

        var rules = new RuleSetBuilder()
            .AddGuard("never-on-sunday", a => a.At.DayOfWeek == DayOfWeek.Sunday ? GuardVerdict.Deny("Not on Sunday.") : GuardVerdict.Allow)
            .AddNoSkippingKeyStages()
            .AddRetargeting()
            .Build();
        var journey = Journey.Start(Definition, "lead-1", T0);

        var moved = rules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddMinutes(90))).GetJourneyOrThrow();
        rules.Evaluate(moved, MoveRequest.MoveTo("won", new DateTimeOffset(2026, 3, 8, 9, 0, 0, TimeSpan.Zero))); // a Sunday: rejected
        var lost = rules.Evaluate(moved, MoveRequest.Lost("price", T0.AddHours(3))).GetJourneyOrThrow();
        rules.Evaluate(journey, MoveRequest.MoveTo("won", T0.AddHours(1)).ForcedBy("boss", "signed"));
        rules.Evaluate(lost, MoveRequest.Reopen(T0.AddHours(5)));

        var all = measurements.ToList();
        var transitions = all.Where(m => m.Instrument == FunnelTelemetry.Transitions).ToList();
        Assert.Equal(2, transitions.Count);
        Assert.Equal(("new", "qualified"), (transitions[0].Tags["from"], transitions[0].Tags["to"]));
        Assert.Equal(("new", "won"), (transitions[1].Tags["from"], transitions[1].Tags["to"]));
        var rejection = Assert.Single(all, m => m.Instrument == FunnelTelemetry.Rejections);
        Assert.Equal("never-on-sunday", rejection.Tags["rule"]);
        var loss = Assert.Single(all, m => m.Instrument == FunnelTelemetry.Losses);
        Assert.Equal(("qualified", "price"), (loss.Tags["stage"], loss.Tags["reason"]));
        var reopening = Assert.Single(all, m => m.Instrument == FunnelTelemetry.Reopenings);
        Assert.Equal(("qualified", "lost"), (reopening.Tags["stage"], reopening.Tags["from"]));
        Assert.Equal(BuiltInRuleTypes.Retargeting, Assert.Single(all, m => m.Instrument == FunnelTelemetry.AutomationsFired).Tags["rule"]);
        Assert.Equal([BuiltInChecks.TransitionAllowed, BuiltInRuleTypes.NoSkippingKeyStages], all.Where(m => m.Instrument == FunnelTelemetry.Overrides).Select(m => m.Tags["rule"]));
        var stays = all.Where(m => m.Instrument == FunnelTelemetry.TimeInStage).ToList();
        Assert.Equal([5400d, 5400d, 3600d], stays.Select(m => m.Value));
        Assert.Equal(["new", "qualified", "new"], stays.Select(m => m.Tags["stage"]));
        Assert.All(all, m => Assert.Equal(1, m.Instrument == FunnelTelemetry.TimeInStage ? 1 : m.Value));
    }

    [Fact]
    public void ActivityListener_SeesOneActivityPerEvaluationWithTags()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FunnelTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((activity.GetTagItem("funnel") as string) == "telemetry-test")
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var journey = Journey.Start(Definition, "lead-2", T0);

        RuleSet.Empty.Evaluate(journey, MoveRequest.MoveTo("won", T0));
        RuleSet.Empty.React(journey, FunnelSignal.External("email.opened", T0));

        var list = activities.Where(a => (a.GetTagItem("funnel.journey") as string) == "lead-2").ToList();
        Assert.Equal([FunnelTelemetry.EvaluateActivity, FunnelTelemetry.SignalActivity], list.Select(a => a.OperationName));
        Assert.Equal("rejected", list[0].GetTagItem("funnel.outcome"));
        Assert.Equal("email.opened", list[1].GetTagItem("funnel.signal"));
    }
}
