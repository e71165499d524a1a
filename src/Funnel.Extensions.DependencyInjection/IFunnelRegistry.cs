using System.Diagnostics.CodeAnalysis;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// Finds the registered funnels (definition and shared rule set) by definition key. The default implementation is
/// registered by <see cref="FunnelServiceCollectionExtensions.AddFunnel"/> with <c>TryAdd</c>; register your own to
/// replace it. <see cref="FunnelRegistryExtensions"/> adds <c>GetDefinition</c> and <c>GetRuleSet</c>.
/// </summary>
/// <remarks>Implementations must be thread-safe: the registry is a singleton shared by every request.</remarks>
public interface IFunnelRegistry
{
    /// <summary>Gets the keys of every registered definition, in registration order.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>Finds a funnel by its definition key (ordinal).</summary>
    /// <param name="key">The definition key.</param>
    /// <param name="funnel">The funnel, when found.</param>
    /// <returns><see langword="true"/> when a definition has that key.</returns>
    bool TryGetFunnel(string key, [NotNullWhen(true)] out RegisteredFunnel? funnel);
}
