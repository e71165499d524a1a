using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// Hands a signal to the enabled automations that react to its kind, in rule order, and collects their commands; turns
/// an accepted change into its signals (stage left, stage entered, won, lost, reopened, attempt recorded). An automation
/// that throws or returns a <see langword="null"/> command becomes a <see cref="RuleExecutionException"/>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class AutomationDispatcher
{
    private readonly RuleRegistration[] _automations;
    private readonly RuleSetTelemetry _telemetry;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="ordered">The enabled rules in run order; those without an automation are skipped.</param>
    /// <param name="telemetry">Where fired automations are counted.</param>
    public AutomationDispatcher(RuleRegistration[] ordered, RuleSetTelemetry telemetry)
    {
        _automations = [.. ordered.Where(r => r.Automation is not null)];
        _telemetry = telemetry;
    }

    public bool IsEmpty => _automations.Length == 0;

    public void RaiseChangeSignals(Journey before, Journey after, MoveKind kind, DateTimeOffset at, ref CommandList commands)
    {
        switch (kind)
        {
            case MoveKind.Move:
            case MoveKind.Won:
                if (kind == MoveKind.Move || after.CurrentStage.Order != before.CurrentStage.Order)
                {
                    Dispatch(after, FunnelSignal.Change(SignalKinds.StageLeft, before.CurrentStage.Key, at), ref commands);
                    Dispatch(after, FunnelSignal.Change(SignalKinds.StageEntered, after.CurrentStage.Key, at), ref commands);
                }

                if (before.Status == JourneyStatus.Open && after.Status == JourneyStatus.Won)
                {
                    Dispatch(after, FunnelSignal.Change(SignalKinds.Won, after.CurrentStage.Key, at), ref commands);
                }

                break;
            case MoveKind.Lost:
                Dispatch(after, FunnelSignal.Change(SignalKinds.Lost, after.CurrentStage.Key, at), ref commands);
                break;
            case MoveKind.Reopen:
                Dispatch(after, FunnelSignal.Change(SignalKinds.Reopened, after.CurrentStage.Key, at), ref commands);
                break;
            default:
                Dispatch(after, FunnelSignal.Change(SignalKinds.AttemptRecorded, after.CurrentStage.Key, at), ref commands);
                break;
        }
    }

    public void Dispatch(Journey journey, FunnelSignal signal, ref CommandList commands)
    {
        foreach (var rule in _automations)
        {
            if ((rule.Signals & signal.Kind) == 0)
            {
                continue;
            }

            ImmutableArray<RuleCommand> emitted;
            try
            {
                emitted = rule.Automation!.React(new AutomationArguments(journey, signal, rule.Id));
            }
            catch (Exception exception)
            {
                throw new RuleExecutionException(
                    $"Automation '{rule.Id}' threw {exception.GetType().Name} reacting to {Describe(signal)} on journey '{journey.Id}' at stage '{journey.CurrentStage.Key}': {exception.Message}",
                    rule.Id,
                    journey.Id,
                    journey.CurrentStage.Key,
                    exception);
            }

            if (!emitted.IsDefaultOrEmpty)
            {
                for (var i = 0; i < emitted.Length; i++)
                {
                    if (emitted[i] is null)
                    {
                        throw new RuleExecutionException(
                            $"Automation '{rule.Id}' returned a null command (item {i} of {emitted.Length}) reacting to {Describe(signal)} on journey '{journey.Id}' at stage '{journey.CurrentStage.Key}'; return [] when nothing is to be done.",
                            rule.Id,
                            journey.Id,
                            journey.CurrentStage.Key,
                            innerException: null);
                    }
                }

                commands.AddRange(emitted);
                _telemetry.RecordAutomationFired(journey, rule.Id);
            }
        }
    }

    private static string Describe(FunnelSignal signal) =>
        signal.Kind == SignalKinds.External ? $"the signal '{signal.Name}'" : signal.Kind.ToString();
}
