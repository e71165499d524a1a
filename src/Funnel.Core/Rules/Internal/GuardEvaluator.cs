namespace Funnel.Core.Rules;

/// <summary>Asks the enabled guards, in rule order, about one proposed change; a guard that throws becomes a <see cref="RuleExecutionException"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class GuardEvaluator
{
    private readonly RuleRegistration[] _guards;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="ordered">The enabled rules in run order; those without a guard are skipped.</param>
    public GuardEvaluator(RuleRegistration[] ordered)
    {
        _guards = [.. ordered.Where(r => r.Guard is not null)];
    }

    public void Check(Journey journey, MoveRequest request, Stage target, LossReason? lossReason, ref ViolationList violations)
    {
        foreach (var rule in _guards)
        {
            var arguments = new GuardArguments(journey, request.Kind, target, request.At, request.Actor, request.Note, lossReason, rule.Id);
            if (!rule.Scope.Covers(in arguments))
            {
                continue;
            }

            GuardVerdict verdict;
            try
            {
                verdict = rule.Guard!.Check(in arguments);
            }
            catch (Exception exception)
            {
                throw new RuleExecutionException(
                    $"Guard '{rule.Id}' threw {exception.GetType().Name} checking {Describe(request.Kind, journey.CurrentStage, target)} of journey '{journey.Id}' at stage '{journey.CurrentStage.Key}': {exception.Message}",
                    rule.Id,
                    journey.Id,
                    journey.CurrentStage.Key,
                    exception);
            }

            if (!verdict.IsAllowed)
            {
                violations.Add(new MoveViolation(rule.Id, verdict.Message!, verdict.Data));
            }
        }
    }

    private static string Describe(MoveKind kind, Stage from, Stage to) => kind switch
    {
        MoveKind.Move => $"the move '{from.Key}' -> '{to.Key}'",
        MoveKind.Won => "a win",
        MoveKind.Lost => "a loss",
        MoveKind.Reopen => "a reopening",
        _ => "an attempt",
    };
}
