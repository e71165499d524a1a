using System.Diagnostics.Metrics;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Telemetry;
using Funnel.Telemetry.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Extensions.DependencyInjection.Tests;

/// <summary>The rule sets a container builds record on a meter from its <see cref="IMeterFactory"/>: two containers never mix.</summary>
public sealed class RuleTelemetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly FunnelDefinition Definition = TelemetryFunnel.Create("di-telemetry");

    [Fact]
    public void AddFunnel_TwoContainersWithMeterFactories_EachCountsOnlyItsOwnRuleSetsMeasurements()
    {
        using var first = Container(withMetrics: true);
        using var second = Container(withMetrics: true);
        var firstFactory = first.GetRequiredService<IMeterFactory>();
        var secondFactory = second.GetRequiredService<IMeterFactory>();
        using var listener = new RuleMeasurements(Definition.Key);

        var firstRules = first.GetRequiredService<IFunnelRegistry>().GetRuleSet(Definition.Key);
        var secondRules = second.GetRequiredService<IFunnelRegistry>().GetRuleSet(Definition.Key);
        var journey = Journey.Start(Definition, "lead-1", T0);
        var qualified = firstRules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(1))).GetJourneyOrThrow();
        firstRules.Evaluate(qualified, MoveRequest.MoveTo("won", T0.AddHours(2))).GetJourneyOrThrow();
        secondRules.Evaluate(journey, MoveRequest.Lost("price", T0.AddHours(3)));
        secondRules.Evaluate(journey, MoveRequest.MoveTo("nowhere", T0.AddHours(4)));

        Assert.Equal(2, listener.Count(firstFactory, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(firstFactory, FunnelTelemetry.Losses));
        Assert.Equal(0, listener.Count(firstFactory, FunnelTelemetry.Rejections));
        Assert.Equal(0, listener.Count(secondFactory, FunnelTelemetry.Transitions));
        Assert.Equal(1, listener.Count(secondFactory, FunnelTelemetry.Losses));
        Assert.Equal(1, listener.Count(secondFactory, FunnelTelemetry.Rejections));
        Assert.Equal(0, listener.Count(scope: null, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(scope: null, FunnelTelemetry.Losses));
    }

    [Fact]
    public void AddFunnel_WithoutMeterFactory_RecordsOnTheStaticMeter()
    {
        using var provider = Container(withMetrics: false);
        using var listener = new RuleMeasurements(Definition.Key);

        provider.GetRequiredService<IFunnelRegistry>().GetRuleSet(Definition.Key)
            .Evaluate(Journey.Start(Definition, "lead-2", T0), MoveRequest.MoveTo("qualified", T0.AddHours(1)));

        Assert.Null(provider.GetService<IMeterFactory>());
        Assert.Equal(1, listener.Count(scope: null, FunnelTelemetry.Transitions));
    }

    [Fact]
    public void AddFunnel_ContainerDisposed_ItsRuleSetsStopRecording()
    {
        var provider = Container(withMetrics: true);
        var factory = provider.GetRequiredService<IMeterFactory>();
        var rules = provider.GetRequiredService<IFunnelRegistry>().GetRuleSet(Definition.Key);
        using var listener = new RuleMeasurements(Definition.Key);
        var journey = Journey.Start(Definition, "lead-3", T0);
        rules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(1))).GetJourneyOrThrow();

        provider.Dispose();
        rules.Evaluate(journey, MoveRequest.MoveTo("qualified", T0.AddHours(2))).GetJourneyOrThrow();

        Assert.Equal(1, listener.Count(factory, FunnelTelemetry.Transitions));
        Assert.Equal(0, listener.Count(scope: null, FunnelTelemetry.Transitions));
    }

    private static ServiceProvider Container(bool withMetrics)
    {
        var services = new ServiceCollection();
        if (withMetrics)
        {
            services.AddMetrics();
        }

        services.AddFunnel(f => f.AddDefinition(Definition));
        return services.BuildServiceProvider(validateScopes: true);
    }
}
