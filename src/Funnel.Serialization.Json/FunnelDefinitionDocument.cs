using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json;

/// <summary>
/// A definition file as a whole: the <see cref="FunnelDefinition"/> and the rules it declares by type name and
/// parameters (<c>"rules": [{"type": "max-attempts", "parameters": {"maxAttempts": 3}}]</c>). Read one with
/// <see cref="FunnelJson.ReadDefinitionDocument(string, RuleTypeRegistry?, string?)"/>; every rule has then been
/// created once with the registry, so <see cref="CreateRuleSet"/> succeeds with the same registry.
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe. Two documents are equal when their definitions are equal and their rules
/// have the same type names and parameters in the same order.
/// </remarks>
public sealed class FunnelDefinitionDocument : IEquatable<FunnelDefinitionDocument>
{
    /// <summary>Creates a document.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="rules">The rules, in order; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or a rule is <see langword="null"/>.</exception>
    public FunnelDefinitionDocument(FunnelDefinition definition, IEnumerable<RuleDescriptor>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Rules = rules is null ? [] : [.. rules];
        foreach (var rule in Rules)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
        }
    }

    /// <summary>Gets the definition.</summary>
    public FunnelDefinition Definition { get; }

    /// <summary>Gets the rules the document declares, in order; empty when it declares none.</summary>
    public ImmutableArray<RuleDescriptor> Rules { get; }

    /// <summary>Creates the rule set of the declared rules.</summary>
    /// <param name="registry">The rule types; <see cref="RuleTypeRegistry.Default"/> when <see langword="null"/>.</param>
    /// <returns>The immutable, thread-safe rule set; <see cref="RuleSet.Empty"/>'s equivalent when no rules are declared.</returns>
    /// <exception cref="RuleConfigurationException">A rule type is unknown to the registry (the message lists the known ones) or a parameter is wrong.</exception>
    public RuleSet CreateRuleSet(RuleTypeRegistry? registry = null)
    {
        var builder = new RuleSetBuilder();
        foreach (var rule in Rules)
        {
            builder.Add(rule, registry ?? RuleTypeRegistry.Default);
        }

        return builder.Build();
    }

    /// <inheritdoc />
    public bool Equals(FunnelDefinitionDocument? other) =>
        other is not null
        && Definition.Equals(other.Definition)
        && Rules.Length == other.Rules.Length
        && Rules.Zip(other.Rules).All(pair =>
            string.Equals(pair.First.TypeName, pair.Second.TypeName, StringComparison.Ordinal)
            && pair.First.Parameters.Count == pair.Second.Parameters.Count
            && pair.First.Parameters.All(p => pair.Second.Parameters.TryGetValue(p.Key, out var v) && string.Equals(p.Value, v, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FunnelDefinitionDocument);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Definition, Rules.Length);

    /// <summary>Returns the definition key and the number of rules.</summary>
    /// <returns>A text such as <c>b2b-pipeline (6 stages, 3 rules)</c>.</returns>
    public override string ToString() => $"{Definition.Key} ({Definition.Stages.Length} stages, {Rules.Length} rules)";
}
