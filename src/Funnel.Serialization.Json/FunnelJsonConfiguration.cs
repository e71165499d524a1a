using System.Collections.Immutable;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Serialization.Json;

/// <summary>
/// What <see cref="FunnelJsonSerializerOptionsExtensions.ConfigureForFunnel(System.Text.Json.JsonSerializerOptions, Action{FunnelJsonConfiguration}?)"/>
/// sets up besides the converters: the definitions that journeys and reports refer to by key, and the rule types that definition documents are checked against.
/// </summary>
/// <remarks>This type is mutable and not thread-safe; use it only inside the configuration callback.</remarks>
public sealed class FunnelJsonConfiguration
{
    private readonly Dictionary<string, FunnelDefinition> _definitions = new(StringComparer.Ordinal);

    internal FunnelJsonConfiguration()
    {
    }

    internal RuleTypeRegistry RuleTypes { get; private set; } = RuleTypeRegistry.Default;

    internal ImmutableDictionary<string, FunnelDefinition> Definitions => _definitions.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Adds a definition that journeys and reports may refer to by its key. They can be written without it, but not read.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Another definition with the same key was added.</exception>
    public FunnelJsonConfiguration AddDefinition(FunnelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (_definitions.TryGetValue(definition.Key, out var existing) && !existing.Equals(definition))
        {
            throw new ArgumentException($"A different definition with the key '{definition.Key}' was already added.", nameof(definition));
        }

        _definitions[definition.Key] = definition;
        return this;
    }

    /// <summary>
    /// Sets the rule types that <see cref="FunnelDefinitionDocument"/>s are checked against when read; the default is
    /// <see cref="RuleTypeRegistry.Default"/> (the built-in rules).
    /// </summary>
    /// <param name="registry">The rule types, such as <c>RuleTypeRegistry.Default.With("my-rule", factory)</c>.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is <see langword="null"/>.</exception>
    public FunnelJsonConfiguration UseRuleTypes(RuleTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        RuleTypes = registry;
        return this;
    }

    /// <summary>Adds several definitions, such as <see cref="FunnelTemplates.All"/>.</summary>
    /// <param name="definitions">The definitions.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definitions"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two different definitions share a key.</exception>
    public FunnelJsonConfiguration AddDefinitions(IEnumerable<FunnelDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            AddDefinition(definition);
        }

        return this;
    }
}
