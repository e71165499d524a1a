using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="AllowedTransitionsRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class AllowedTransitionsOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public AllowedTransitionsOptions()
        : base(BuiltInRuleTypes.AllowedTransitions)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal AllowedTransitionsOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.AllowedTransitions, parameters)
    {
        Transitions = parameters.GetStagePairs("transitions");
    }

    /// <summary>
    /// Gets the moves between stages this rule allows. A move (<see cref="MoveKind.Move"/>) whose pair is not listed is
    /// denied; wins, losses and reopenings are not restricted. The definition's own graph
    /// (<see cref="BuiltInChecks.TransitionAllowed"/>) is always checked as well, so this list narrows it, for example to
    /// keep managers from dragging deals back. Parameter <c>transitions</c>: <c>from-&gt;to, ...</c>.
    /// </summary>
    /// <value>Default empty, which is invalid: list at least one pair.</value>
    public ImmutableArray<(StageKey From, StageKey To)> Transitions { get; init; } = [];
}
