using System.Collections.Immutable;
using Funnel.Core;

namespace Funnel.Serialization.Json.Internal;

/// <summary>Looks up a definition that a journey or report names by key among those given to the converter.</summary>
internal static class KnownDefinitions
{
    /// <summary>Fails at the reader's position when the key is not among <paramref name="definitions"/>, listing the known keys.</summary>
    public static FunnelDefinition Find(JsonReadContext context, ImmutableDictionary<string, FunnelDefinition> definitions, string key) =>
        definitions.TryGetValue(key, out var definition)
            ? definition
            : throw context.Fail(definitions.IsEmpty
                ? $"the funnel definition '{key}' is unknown: no definitions were given to ConfigureForFunnel (call AddDefinition)"
                : $"the funnel definition '{key}' is unknown; known definitions: {string.Join(", ", definitions.Keys.Order(StringComparer.Ordinal))}");
}
