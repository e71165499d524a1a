using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>Conveniences over <see cref="IFunnelRegistry"/>.</summary>
public static class FunnelRegistryExtensions
{
    /// <summary>Gets a funnel by its definition key.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="key">The definition key.</param>
    /// <returns>The funnel: definition and rule set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No definition has that key; the message lists the registered keys.</exception>
    public static RegisteredFunnel GetFunnel(this IFunnelRegistry registry, string key)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(key);
        return registry.TryGetFunnel(key, out var funnel)
            ? funnel
            : throw new ArgumentException(
                $"No funnel definition '{key}' is registered; registered: {(registry.Keys.Count == 0 ? "(none)" : string.Join(", ", registry.Keys))}.",
                nameof(key));
    }

    /// <summary>Gets a definition by key.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="key">The definition key.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No definition has that key; the message lists the registered keys.</exception>
    public static FunnelDefinition GetDefinition(this IFunnelRegistry registry, string key) => registry.GetFunnel(key).Definition;

    /// <summary>Gets the shared, thread-safe rule set of a definition.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="key">The definition key.</param>
    /// <returns>The rule set; empty when the definition has no rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No definition has that key; the message lists the registered keys.</exception>
    public static RuleSet GetRuleSet(this IFunnelRegistry registry, string key) => registry.GetFunnel(key).Rules;
}
