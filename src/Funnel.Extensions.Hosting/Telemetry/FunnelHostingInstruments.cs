using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Funnel.Core.Telemetry;

namespace Funnel.Extensions.Hosting.Telemetry;

/// <summary>
/// The instruments of the hosting integration, on a <c>Funnel</c> meter from the container's
/// <see cref="IMeterFactory"/> (so each host, and each test, has its own), or on a static meter without a factory.
/// Registered as a singleton by the builder methods.
/// </summary>
/// <remarks>Thread-safe: instruments are.</remarks>
public sealed class FunnelHostingInstruments
{
    private static readonly string? Version = typeof(FunnelHostingInstruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private static readonly Lazy<Meter> StaticMeter = new(() => new Meter(FunnelTelemetry.MeterName, Version));

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The container's meter factory; when <see langword="null"/>, a process-wide static meter is used.</param>
    public FunnelHostingInstruments(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory is null ? StaticMeter.Value : meterFactory.Create(new MeterOptions(FunnelTelemetry.MeterName) { Version = Version });
        Saves = meter.CreateCounter<long>(FunnelHostingTelemetry.Saves, "{save}", "Journey saves through the workflow, by outcome.");
        OutboxWritten = meter.CreateCounter<long>(FunnelHostingTelemetry.OutboxWritten, "{message}", "Outbox messages written with saves.");
        OutboxDelivered = meter.CreateCounter<long>(FunnelHostingTelemetry.OutboxDelivered, "{message}", "Outbox messages delivered.");
        OutboxFailures = meter.CreateCounter<long>(FunnelHostingTelemetry.OutboxFailures, "{attempt}", "Failed outbox delivery attempts.");
        OutboxDeliveryLag = meter.CreateHistogram<double>(FunnelHostingTelemetry.OutboxDeliveryLag, "s", "Time from an outbox message's creation to its delivery.");
    }

    /// <summary>Gets the activity source (<c>Funnel</c>, shared with Funnel.Core's name).</summary>
    internal static ActivitySource Source { get; } = new(FunnelTelemetry.ActivitySourceName, Version);

    internal Counter<long> Saves { get; }

    internal Counter<long> OutboxWritten { get; }

    internal Counter<long> OutboxDelivered { get; }

    internal Counter<long> OutboxFailures { get; }

    internal Histogram<double> OutboxDeliveryLag { get; }
}
