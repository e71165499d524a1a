using Funnel.Core;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>Conveniences over <see cref="IFunnelRegistry"/>.</summary>
public static class FunnelRegistryExtensions
{
    /// <summary>Gets a definition by key.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="key">The definition key.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No definition has that key; the message lists the registered keys.</exception>
    public static FunnelDefinition GetDefinition(this IFunnelRegistry registry, string key)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(key);
        return registry.TryGetDefinition(key, out var definition)
            ? definition
            : throw new ArgumentException(
                $"No funnel definition '{key}' is registered; registered: {(registry.Keys.Count == 0 ? "(none)" : string.Join(", ", registry.Keys))}.",
                nameof(key));
    }
}
