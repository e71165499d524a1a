using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Funnel.Core.Rules;
using Funnel.Core.Telemetry;
using Funnel.Telemetry.Tests;

namespace Funnel.Core.Tests.Telemetry;

/// <summary>Rule sets built with an <see cref="IMeterFactory"/> record on that factory's meter only; without one, on the static meter.</summary>
public class MeterFactoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly FunnelDefinition Definition = TelemetryFunnel.Create("meter-factory-test");

    [Fact]
    public void WithMeterFactory_TwoFactories_EachMeterSeesOnlyItsRuleSetsMeasurements()
    {
        using var first = new ScopedMeterFactory();
        using var second = new ScopedMeterFactory();
        using var listener = new RuleMeasurements(Definition.Key);
        var firstRules = new RuleSetBuilder().AddRetargeting().WithMeterFactory(first).Build();
        var secondRules = RuleSet.Empty.WithMeterFactory(second);
        var journey = Journey.Start(Definition, "lead-1", T0);

        var qualified = firstRules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddMinutes(30))).GetJourneyOrThrow();
        firstRules.Evaluate(qualified, MoveRequest.Lost("price", T0.AddHours(1))).GetJourneyOrThrow();
        secondRules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(2))).GetJourneyOrThrow();
        secondRules.Evaluate(journey, MoveRequest.MoveTo("won", T0.AddHours(3)).ForcedBy("boss", "signed")).GetJourneyOrThrow();

        Assert.Equal(1, listener.Count(first, FunnelTelemetry.Transitions));
        Assert.Equal(1, listener.Count(first, FunnelTelemetry.Losses));
        Assert.Equal(1, listener.Count(first, FunnelTelemetry.AutomationsFired));
        Assert.Equal(2, listener.Count(first, FunnelTelemetry.TimeInStage));
        Assert.Equal(0, listener.Count(first, FunnelTelemetry.Overrides));
        Assert.Equal(2, listener.Count(second, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(second, FunnelTelemetry.Losses));
        Assert.Equal(1, listener.Count(second, FunnelTelemetry.Overrides));
        Assert.Equal(0, listener.Count(scope: null, FunnelTelemetry.Transitions));
    }

    [Fact]
    public void WithMeterFactory_Null_RecordsOnTheStaticMeter()
    {
        using var factory = new ScopedMeterFactory();
        using var listener = new RuleMeasurements(Definition.Key);
        var rules = RuleSet.Empty.WithMeterFactory(factory).WithMeterFactory(null);

        rules.Evaluate(Journey.Start(Definition, "lead-2", T0), MoveRequest.MoveTo("qualified", T0.AddHours(1))).GetJourneyOrThrow();

        Assert.Equal(1, listener.Count(scope: null, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(factory, FunnelTelemetry.Transitions));
    }

    [Fact]
    public void WithMeterFactory_ManyRuleSetsOfOneFactory_ShareOneMeter()
    {
        using var factory = new ScopedMeterFactory();
        using var listener = new RuleMeasurements(Definition.Key);
        var rules = new RuleSetBuilder().AddNoSkippingKeyStages().WithMeterFactory(factory).Build();
        var derived = rules.WithEnabled(BuiltInRuleTypes.NoSkippingKeyStages, false);
        var rebuilt = rules.ToBuilder().AddRetargeting().Build();
        var again = RuleSet.Empty.WithMeterFactory(factory);
        var journey = Journey.Start(Definition, "lead-3", T0);

        foreach (var set in new[] { rules, derived, rebuilt, again })
        {
            set.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(1))).GetJourneyOrThrow();
        }

        Assert.Equal(1, factory.Created);
        Assert.Equal(4, listener.Count(factory, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(scope: null, FunnelTelemetry.Transitions));
    }

    [Fact]
    public void WithMeterFactory_FactoryDisposed_RuleSetStopsRecordingAndKeepsWorking()
    {
        var factory = new ScopedMeterFactory();
        using var listener = new RuleMeasurements(Definition.Key);
        var rules = RuleSet.Empty.WithMeterFactory(factory);
        var journey = Journey.Start(Definition, "lead-4", T0);
        rules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(1))).GetJourneyOrThrow();

        factory.Dispose();
        var result = rules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(2)));

        Assert.True(result.Succeeded);
        Assert.Equal(1, listener.Count(factory, FunnelTelemetry.Transitions));
    }

    /// <summary>
    /// An <see cref="IMeterFactory"/> as the contract asks (each meter's <see cref="Meter.Scope"/> is the factory; the
    /// factory disposes its meters), the way Microsoft.Extensions.Diagnostics' container factory behaves, without the package.
    /// </summary>
    private sealed class ScopedMeterFactory : IMeterFactory
    {
        private readonly ConcurrentBag<Meter> _meters = [];

        public int Created => _meters.Count;

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
