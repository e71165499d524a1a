using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Funnel.Core.Telemetry;

/// <summary>The process-wide meter, activity source and instruments. Every recording site checks <c>Enabled</c> first.</summary>
internal static class FunnelInstruments
{
    private static readonly string? Version = typeof(FunnelInstruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource Source = new(FunnelTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(FunnelTelemetry.MeterName, Version);

    public static readonly Counter<long> Transitions = Meter.CreateCounter<long>(FunnelTelemetry.Transitions, "{transition}", "Accepted stage changes.");

    public static readonly Counter<long> Rejections = Meter.CreateCounter<long>(FunnelTelemetry.Rejections, "{violation}", "Violations that rejected a change.");

    public static readonly Counter<long> Losses = Meter.CreateCounter<long>(FunnelTelemetry.Losses, "{loss}", "Leads marked lost.");

    public static readonly Counter<long> Reopenings = Meter.CreateCounter<long>(FunnelTelemetry.Reopenings, "{reopening}", "Leads reopened after a win or a loss.");

    public static readonly Counter<long> AutomationsFired = Meter.CreateCounter<long>(FunnelTelemetry.AutomationsFired, "{automation}", "Automations that emitted commands.");

    public static readonly Counter<long> Overrides = Meter.CreateCounter<long>(FunnelTelemetry.Overrides, "{violation}", "Violations overridden by forced changes.");

    public static readonly Histogram<double> TimeInStage = Meter.CreateHistogram<double>(FunnelTelemetry.TimeInStage, "s", "Time a lead spent in a stage.");
}
