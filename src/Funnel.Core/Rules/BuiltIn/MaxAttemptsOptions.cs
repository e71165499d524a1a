using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="MaxAttemptsRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class MaxAttemptsOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public MaxAttemptsOptions()
        : base(BuiltInRuleTypes.MaxAttempts)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal MaxAttemptsOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.MaxAttempts, parameters)
    {
        MaxAttempts = parameters.GetInt32("maxAttempts", MaxAttempts);
        LossReason = parameters.GetString("lossReason", LossReason.Value);
        Stages = [.. parameters.GetList("stages").Select(s => new StageKey(s))];
    }

    /// <summary>Gets the number of attempts in a stage after which the lead is lost. Parameter <c>maxAttempts</c>.</summary>
    /// <value>Default 3; at least 1.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Gets the loss reason used; it must be in the definition's catalog. Parameter <c>lossReason</c>.</summary>
    /// <value>Default <c>unreachable</c> (<see cref="LossReasonCatalog.Unreachable"/>).</value>
    public LossReasonKey LossReason { get; init; } = LossReasonCatalog.Unreachable.Key;

    /// <summary>Gets the stages the limit applies to. Parameter <c>stages</c>: comma-separated keys.</summary>
    /// <value>Default empty: every stage.</value>
    public ImmutableArray<StageKey> Stages { get; init; } = [];
}
