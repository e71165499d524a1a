namespace Funnel.Extensions.Hosting.Telemetry;

/// <summary>
/// The names of the telemetry the hosting integration emits, on the same <c>Funnel</c> meter and activity source as
/// Funnel.Core (so <c>AddMeter("Funnel")</c> and <c>AddSource("Funnel")</c> see both). In a container the meter comes
/// from <see cref="System.Diagnostics.Metrics.IMeterFactory"/>; without one, from a process-wide static meter.
/// See docs/telemetry.md.
/// </summary>
public static class FunnelHostingTelemetry
{
    /// <summary>Counter of journey saves through the workflow; unit <c>{save}</c>; tags <c>funnel</c>, <c>outcome</c> (saved, rejected, conflict, not-found, already-exists).</summary>
    public const string Saves = "funnel.journey.saves";

    /// <summary>Counter of outbox messages written with saves; unit <c>{message}</c>; tags <c>funnel</c>, <c>type</c>.</summary>
    public const string OutboxWritten = "funnel.outbox.written";

    /// <summary>Counter of outbox messages delivered (the handler returned); unit <c>{message}</c>; tag <c>type</c>.</summary>
    public const string OutboxDelivered = "funnel.outbox.delivered";

    /// <summary>Counter of failed delivery attempts; unit <c>{attempt}</c>; tags <c>type</c>, <c>parked</c> (<c>true</c> when the failure parked the message).</summary>
    public const string OutboxFailures = "funnel.outbox.failures";

    /// <summary>Histogram of the time from a message's creation to its delivery; unit <c>s</c>; tag <c>type</c>.</summary>
    public const string OutboxDeliveryLag = "funnel.outbox.delivery.lag";

    /// <summary>The activity around one workflow change (load, rules, save): <c>funnel.move</c>; tags <c>funnel</c>, <c>funnel.journey</c>, <c>funnel.kind</c>, <c>funnel.outcome</c>.</summary>
    public const string MoveActivity = "funnel.move";

    /// <summary>The activity around the save of a journey with its outbox messages: <c>funnel.save</c>; tags <c>funnel</c>, <c>funnel.journey</c>, <c>funnel.outbox.count</c>, <c>funnel.outcome</c>.</summary>
    public const string SaveActivity = "funnel.save";

    /// <summary>The activity around the delivery of one outbox message: <c>funnel.outbox.dispatch</c>; tags <c>funnel.journey</c>, <c>funnel.outbox.id</c>, <c>funnel.outbox.type</c>, <c>funnel.outbox.attempt</c>, <c>funnel.outcome</c>.</summary>
    public const string DispatchActivity = "funnel.outbox.dispatch";
}
