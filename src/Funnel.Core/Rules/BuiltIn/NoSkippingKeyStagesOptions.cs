using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="NoSkippingKeyStagesRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class NoSkippingKeyStagesOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public NoSkippingKeyStagesOptions()
        : base(BuiltInRuleTypes.NoSkippingKeyStages)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal NoSkippingKeyStagesOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.NoSkippingKeyStages, parameters)
    {
        Stages = [.. parameters.GetList("stages").Select(s => new StageKey(s))];
        IncludeWins = parameters.GetBoolean("includeWins", IncludeWins);
    }

    /// <summary>Gets the stages that may not be skipped. Parameter <c>stages</c>: comma-separated keys.</summary>
    /// <value>Default empty: every stage of kind <see cref="StageKind.Key"/>.</value>
    public ImmutableArray<StageKey> Stages { get; init; } = [];

    /// <summary>Gets a value indicating whether marking a lead won (which moves it to the goal stage) counts as skipping too. Parameter <c>includeWins</c>.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool IncludeWins { get; init; } = true;
}
