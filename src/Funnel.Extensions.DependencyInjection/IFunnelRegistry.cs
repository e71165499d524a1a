using System.Diagnostics.CodeAnalysis;
using Funnel.Core;

namespace Funnel.Extensions.DependencyInjection;

/// <summary>
/// Finds the registered funnel definitions by key. The default implementation is registered by
/// <see cref="FunnelServiceCollectionExtensions.AddFunnel"/> with <c>TryAdd</c>; register your own to replace it.
/// </summary>
/// <remarks>Implementations must be thread-safe: the registry is a singleton shared by every request.</remarks>
public interface IFunnelRegistry
{
    /// <summary>Gets the keys of every registered definition, in registration order.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>Finds a definition by key (ordinal).</summary>
    /// <param name="key">The definition key.</param>
    /// <param name="definition">The definition, when found.</param>
    /// <returns><see langword="true"/> when a definition has that key.</returns>
    bool TryGetDefinition(string key, [NotNullWhen(true)] out FunnelDefinition? definition);
}
