namespace Funnel.Core.Rules;

/// <summary>
/// Something in a rule set that does not fit a definition, found by <see cref="RuleSet.Validate(FunnelDefinition)"/>:
/// a stage or loss reason the definition lacks, or an automatic move its graph forbids. Such a rule would silently
/// never match, or have every command rejected.
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RuleProblem
{
    internal RuleProblem(string ruleId, string message)
    {
        RuleId = ruleId;
        Message = message;
    }

    /// <summary>Gets the id of the rule concerned.</summary>
    public string RuleId { get; }

    /// <summary>Gets what is wrong, naming the stage or reason and the funnel.</summary>
    public string Message { get; }

    /// <summary>Returns the rule id and the message.</summary>
    /// <returns>A text such as <c>auto-advance: ...</c>.</returns>
    public override string ToString() => $"{RuleId}: {Message}";
}
