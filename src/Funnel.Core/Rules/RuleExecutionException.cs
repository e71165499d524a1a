namespace Funnel.Core.Rules;

/// <summary>
/// Thrown by <see cref="RuleSet"/> (<see cref="RuleSet.Evaluate"/>, <see cref="RuleSet.React"/>,
/// <see cref="RuleSet.Run(Journey, MoveRequest)"/>, <see cref="RuleSet.Run(Journey, FunnelSignal)"/>) when a guard
/// or an automation fails: it threw (the original exception is the <see cref="Exception.InnerException"/>), or an
/// automation returned a <see langword="null"/> command. Names the rule, the journey and the stage.
/// </summary>
/// <remarks>
/// A failing rule is a bug in the rule, not an outcome of one lead, so it is an exception rather than a violation:
/// turning it into a violation would reject every lead's move for a reason no user can fix, and a forced move would
/// silently override it. Nothing has been changed when it is thrown: the journey passed in is as it was.
/// </remarks>
public sealed class RuleExecutionException : FunnelException
{
    internal RuleExecutionException(string message, string ruleId, string journeyId, StageKey stage, Exception? innerException)
        : base(message, innerException)
    {
        RuleId = ruleId;
        JourneyId = journeyId;
        Stage = stage;
    }

    /// <summary>Gets the id of the guard or automation that failed.</summary>
    public string RuleId { get; }

    /// <summary>Gets the id of the journey the rule was run for.</summary>
    public string JourneyId { get; }

    /// <summary>
    /// Gets the stage the journey was in when the rule ran: for a guard, the stage before the proposed change; for an
    /// automation, the stage after the change that raised the signal.
    /// </summary>
    public StageKey Stage { get; }
}
