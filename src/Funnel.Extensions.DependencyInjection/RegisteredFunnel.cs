using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>A registered funnel: its definition and the shared rule set that guards and automates its journeys.</summary>
/// <remarks>Instances are immutable and thread-safe; one instance is shared by every request.</remarks>
public sealed class RegisteredFunnel
{
    /// <summary>Creates a registered funnel.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="rules">The rule set; <see cref="RuleSet.Empty"/> when the funnel has no rules.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="rules"/> is <see langword="null"/>.</exception>
    public RegisteredFunnel(FunnelDefinition definition, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rules);
        Definition = definition;
        Rules = rules;
    }

    /// <summary>Gets the definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the rule set: the rules the definition's JSON declares, then those added in code.</summary>
    public RuleSet Rules { get; }

    /// <summary>Returns the definition key and the number of rules.</summary>
    /// <returns>A text such as <c>b2b-pipeline (3 rules)</c>.</returns>
    public override string ToString() => $"{Definition.Key} ({Rules.Rules.Length} rules)";
}
