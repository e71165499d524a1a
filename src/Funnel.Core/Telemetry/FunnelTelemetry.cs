namespace Funnel.Core.Telemetry;

/// <summary>
/// The names of the telemetry Funnel.Core emits: a <see cref="System.Diagnostics.Metrics.Meter"/> and an
/// <see cref="System.Diagnostics.ActivitySource"/>, both named <see cref="MeterName"/> (<c>Funnel</c>), and their
/// instruments. Subscribe with OpenTelemetry (<c>AddMeter("Funnel")</c>, <c>AddSource("Funnel")</c>) or a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>.
/// </summary>
/// <remarks>
/// Measurements are recorded by <see cref="Rules.RuleSet"/> (plain <see cref="Journey"/> moves record nothing). When
/// nobody listens, nothing is built: every instrument's <c>Enabled</c> and the source's <c>HasListeners()</c> are
/// checked before any tag is made. The meter is a process-wide static one unless the rule set was given an
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> (<see cref="Rules.RuleSet.WithMeterFactory"/>; the DI package
/// passes the container's); the names are the same on either. See docs/telemetry.md.
/// </remarks>
public static class FunnelTelemetry
{
    /// <summary>The name of the meter: <c>Funnel</c>.</summary>
    public const string MeterName = "Funnel";

    /// <summary>The name of the activity source: <c>Funnel</c>.</summary>
    public const string ActivitySourceName = "Funnel";

    /// <summary>Counter of accepted stage changes (moves, and wins that moved to the goal stage); unit <c>{transition}</c>; tags <c>funnel</c>, <c>from</c>, <c>to</c>.</summary>
    public const string Transitions = "funnel.transitions";

    /// <summary>Counter of violations that rejected a change, one per violation; unit <c>{violation}</c>; tags <c>funnel</c>, <c>rule</c>.</summary>
    public const string Rejections = "funnel.rejections";

    /// <summary>Counter of leads marked lost; unit <c>{loss}</c>; tags <c>funnel</c>, <c>stage</c>, <c>reason</c>.</summary>
    public const string Losses = "funnel.losses";

    /// <summary>Counter of leads reopened (after a win or a loss); unit <c>{reopening}</c>; tags <c>funnel</c>, <c>stage</c> (where it reopens), <c>from</c> (<c>won</c> or <c>lost</c>).</summary>
    public const string Reopenings = "funnel.reopenings";

    /// <summary>Counter of automations that fired (emitted at least one command), one per automation and signal; unit <c>{automation}</c>; tags <c>funnel</c>, <c>rule</c>.</summary>
    public const string AutomationsFired = "funnel.automations.fired";

    /// <summary>Counter of violations overridden by forced changes, one per violation; unit <c>{violation}</c>; tags <c>funnel</c>, <c>rule</c>.</summary>
    public const string Overrides = "funnel.overrides";

    /// <summary>Histogram of the time a lead spent in a stage, recorded when it leaves the stage or is lost there; unit <c>s</c>; tags <c>funnel</c>, <c>stage</c>.</summary>
    public const string TimeInStage = "funnel.stage.duration";

    /// <summary>The name of the activity around the evaluation of one proposed change: <c>funnel.rules.evaluate</c>.</summary>
    public const string EvaluateActivity = "funnel.rules.evaluate";

    /// <summary>The name of the activity around the reaction to one external or sweep signal: <c>funnel.rules.signal</c>.</summary>
    public const string SignalActivity = "funnel.rules.signal";
}
