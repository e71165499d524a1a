using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Options of <see cref="RequiredAttributesRule"/>.</summary>
/// <remarks>Set once with an object initializer; read-only afterwards and thread-safe.</remarks>
public sealed class RequiredAttributesOptions : RuleOptions
{
    /// <summary>Creates the options with the defaults.</summary>
    public RequiredAttributesOptions()
        : base(BuiltInRuleTypes.RequiredAttributes)
    {
    }

    /// <summary>Creates the options from a <see cref="RuleDescriptor"/>'s parameters (named on each property); an absent parameter keeps the default.</summary>
    /// <param name="parameters">The parameters.</param>
    internal RequiredAttributesOptions(RuleParameters parameters)
        : base(BuiltInRuleTypes.RequiredAttributes, parameters)
    {
        Requirements = parameters.GetPrefixed("required").ToImmutableDictionary(
            pair => new StageKey(pair.Key),
            pair => ImmutableArray.Create(pair.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        RejectBlankValues = parameters.GetBoolean("rejectBlankValues", RejectBlankValues);
    }

    /// <summary>
    /// Gets the attribute names required before entering each stage, on top of the stage's own
    /// <see cref="Stage.RequiredAttributes"/> (which the built-in check enforces). Parameters
    /// <c>required.&lt;stage&gt; = name, name</c>.
    /// </summary>
    /// <value>Default empty, which is invalid: name at least one stage.</value>
    public ImmutableDictionary<StageKey, ImmutableArray<string>> Requirements { get; init; } = ImmutableDictionary<StageKey, ImmutableArray<string>>.Empty;

    /// <summary>
    /// Gets a value indicating whether a present but blank value counts as missing. Applies to the stage's own
    /// required attributes too. Parameter <c>rejectBlankValues</c>.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool RejectBlankValues { get; init; } = true;
}
