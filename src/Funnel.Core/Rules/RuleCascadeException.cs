using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>
/// Thrown by <see cref="RuleSet.Run(Journey, MoveRequest)"/> when automations form a cycle (the same command from the
/// same state came round again) or a cascade grows past <see cref="RuleSet.MaxCascadeDepth"/>. Names the rules involved.
/// </summary>
/// <remarks>A cycle is a bug in the rule set, not an outcome of one lead, so it is an exception rather than a result.</remarks>
public sealed class RuleCascadeException : FunnelException
{
    internal RuleCascadeException(string message, string journeyId, ImmutableArray<string> ruleIds, bool isCycle)
        : base(message)
    {
        JourneyId = journeyId;
        RuleIds = ruleIds;
        IsCycle = isCycle;
    }

    /// <summary>Gets the id of the journey whose cascade was stopped.</summary>
    public string JourneyId { get; }

    /// <summary>Gets the ids of the rules in the cycle (or in the too-long cascade), in the order they fired, without duplicates.</summary>
    public ImmutableArray<string> RuleIds { get; }

    /// <summary>Gets a value indicating whether a cycle was found (<see langword="false"/>: the depth limit was reached).</summary>
    public bool IsCycle { get; }
}
