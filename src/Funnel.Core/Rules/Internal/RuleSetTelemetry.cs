using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Funnel.Core.Telemetry;

namespace Funnel.Core.Rules;

/// <summary>
/// The rule engine's activities and instruments: the only place that creates them from the names on
/// <see cref="FunnelTelemetry"/>. <see cref="Default"/> records on a process-wide static meter; <see cref="For"/> gives
/// the instruments on a meter created by an <see cref="IMeterFactory"/>, once per factory, so that each container (and
/// each test) sees only its own measurements. The activity source stays static (there is no factory for sources).
/// Every recording site checks <c>Enabled</c> (or <c>HasListeners()</c>) first.
/// </summary>
/// <remarks>Thread-safe: instruments are, and the table of per-factory instances is.</remarks>
internal sealed class RuleSetTelemetry
{
    private static readonly string? Version = typeof(RuleSetTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private static readonly ActivitySource Source = new(FunnelTelemetry.ActivitySourceName, Version);

    private static readonly ConditionalWeakTable<IMeterFactory, RuleSetTelemetry> PerFactory = new();

    private readonly Counter<long> _transitions;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _losses;
    private readonly Counter<long> _reopenings;
    private readonly Counter<long> _automationsFired;
    private readonly Counter<long> _overrides;
    private readonly Histogram<double> _timeInStage;

    private RuleSetTelemetry(Meter meter, IMeterFactory? meterFactory)
    {
        MeterFactory = meterFactory;
        _transitions = meter.CreateCounter<long>(FunnelTelemetry.Transitions, "{transition}", "Accepted stage changes.");
        _rejections = meter.CreateCounter<long>(FunnelTelemetry.Rejections, "{violation}", "Violations that rejected a change.");
        _losses = meter.CreateCounter<long>(FunnelTelemetry.Losses, "{loss}", "Leads marked lost.");
        _reopenings = meter.CreateCounter<long>(FunnelTelemetry.Reopenings, "{reopening}", "Leads reopened after a win or a loss.");
        _automationsFired = meter.CreateCounter<long>(FunnelTelemetry.AutomationsFired, "{automation}", "Automations that emitted commands.");
        _overrides = meter.CreateCounter<long>(FunnelTelemetry.Overrides, "{violation}", "Violations overridden by forced changes.");
        _timeInStage = meter.CreateHistogram<double>(FunnelTelemetry.TimeInStage, "s", "Time a lead spent in a stage.");
    }

    /// <summary>Gets the instruments on the process-wide static meter (created once).</summary>
    public static RuleSetTelemetry Default { get; } = new(new Meter(FunnelTelemetry.MeterName, Version), meterFactory: null);

    /// <summary>Gets the factory the meter came from; <see langword="null"/> for <see cref="Default"/>.</summary>
    public IMeterFactory? MeterFactory { get; }

    /// <summary>Returns the instruments on a meter from a factory (created on first use, then reused), or <see cref="Default"/>.</summary>
    /// <param name="meterFactory">The factory; <see langword="null"/> for the static meter.</param>
    /// <returns>The instruments.</returns>
    public static RuleSetTelemetry For(IMeterFactory? meterFactory) => meterFactory is null
        ? Default
        : PerFactory.GetValue(meterFactory, static factory => new RuleSetTelemetry(factory.Create(new MeterOptions(FunnelTelemetry.MeterName) { Version = Version }), factory));

    public static Activity? StartEvaluate(Journey journey, MoveRequest request)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(FunnelTelemetry.EvaluateActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel", journey.Definition.Key);
            activity.SetTag("funnel.journey", journey.Id);
            activity.SetTag("funnel.kind", request.Kind.ToString());
            activity.SetTag("funnel.from", journey.CurrentStage.Key.Value);
            if (!request.Stage.IsDefault)
            {
                activity.SetTag("funnel.to", request.Stage.Value);
            }

            activity.SetTag("funnel.forced", request.IsForced);
        }

        return activity;
    }

    public static Activity? StartSignal(Journey journey, FunnelSignal signal)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(FunnelTelemetry.SignalActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("funnel", journey.Definition.Key);
            activity.SetTag("funnel.journey", journey.Id);
            activity.SetTag("funnel.signal", signal.Kind == SignalKinds.External ? signal.Name : signal.Kind.ToString());
        }

        return activity;
    }

    public static void RecordCommands(Activity? activity, int count) => activity?.SetTag("funnel.commands", count);

    public void RecordRejection(Journey journey, ImmutableArray<MoveViolation> violations, Activity? activity)
    {
        if (_rejections.Enabled)
        {
            foreach (var violation in violations)
            {
                _rejections.Add(1, new("funnel", journey.Definition.Key), new("rule", violation.RuleId));
            }
        }

        if (activity is not null)
        {
            activity.SetTag("funnel.outcome", "rejected");
            activity.SetTag("funnel.violations", violations.Length);
            activity.SetStatus(ActivityStatusCode.Ok);
        }
    }

    public void RecordChange(Journey before, Journey after, MoveRequest request, MoveOverride? bypass, Activity? activity)
    {
        var funnel = before.Definition.Key;
        var changedStage = after.CurrentStage.Order != before.CurrentStage.Order || request.Kind == MoveKind.Move;
        if (changedStage && request.Kind is MoveKind.Move or MoveKind.Won)
        {
            if (_transitions.Enabled)
            {
                _transitions.Add(1, new("funnel", funnel), new("from", before.CurrentStage.Key.Value), new("to", after.CurrentStage.Key.Value));
            }

            if (_timeInStage.Enabled)
            {
                _timeInStage.Record(before.TimeInStage(request.At).TotalSeconds, new("funnel", funnel), new("stage", before.CurrentStage.Key.Value));
            }
        }
        else if (request.Kind == MoveKind.Lost)
        {
            if (_losses.Enabled)
            {
                _losses.Add(1, new("funnel", funnel), new("stage", after.CurrentStage.Key.Value), new("reason", request.LossReason.Value));
            }

            if (_timeInStage.Enabled)
            {
                _timeInStage.Record(before.TimeInStage(request.At).TotalSeconds, new("funnel", funnel), new("stage", before.CurrentStage.Key.Value));
            }
        }
        else if (request.Kind == MoveKind.Reopen && _reopenings.Enabled)
        {
            _reopenings.Add(1, new("funnel", funnel), new("stage", after.CurrentStage.Key.Value), new("from", before.Status == JourneyStatus.Won ? "won" : "lost"));
        }

        if (bypass is not null && _overrides.Enabled)
        {
            foreach (var violation in bypass.Overridden)
            {
                _overrides.Add(1, new("funnel", funnel), new("rule", violation.RuleId));
            }
        }

        activity?.SetTag("funnel.outcome", bypass is null ? "accepted" : "forced");
    }

    public void RecordAutomationFired(Journey journey, string ruleId)
    {
        if (_automationsFired.Enabled)
        {
            _automationsFired.Add(1, new("funnel", journey.Definition.Key), new("rule", ruleId));
        }
    }
}
