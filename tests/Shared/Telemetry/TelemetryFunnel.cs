using Funnel.Core;

namespace Funnel.Telemetry.Tests;

/// <summary>The small funnel the telemetry tests move leads through: <c>new</c> → <c>qualified</c> → <c>won</c>, with the standard loss reasons.</summary>
internal static class TelemetryFunnel
{
    /// <summary>Builds the funnel.</summary>
    /// <param name="key">A key of the test's own, so that measurements from tests running in parallel can be told apart.</param>
    /// <returns>The definition.</returns>
    public static FunnelDefinition Create(string key) => new FunnelDefinitionBuilder(key)
        .AddStage("new")
        .AddStage("qualified")
        .AddStage("won")
        .WonAt("won")
        .AddLossReasons(LossReasonCatalog.Standard)
        .Build();
}
