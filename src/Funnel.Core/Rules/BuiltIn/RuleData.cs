using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Builds the machine-readable data of violations (only on the rejection path).</summary>
internal static class RuleData
{
    public static ImmutableDictionary<string, string> Of(string key, string value) =>
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(key, value);

    public static ImmutableDictionary<string, string> Of(string key1, string value1, string key2, string value2) =>
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(key1, value1).Add(key2, value2);

    public static ImmutableDictionary<string, string> Of(string key1, string value1, string key2, string value2, string key3, string value3) =>
        Of(key1, value1, key2, value2).Add(key3, value3);
}
