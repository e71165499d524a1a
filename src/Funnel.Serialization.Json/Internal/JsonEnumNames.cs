using System.Collections.Immutable;
using System.Text.Json;

namespace Funnel.Serialization.Json.Internal;

/// <summary>The camelCase JSON names of an enum's values (<c>StageKind.Technical</c> is <c>"technical"</c>).</summary>
internal static class JsonEnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName = [];
    private static readonly Dictionary<TEnum, string> ByValue = [];

#pragma warning disable CA1810 // One pass fills both maps.
    static JsonEnumNames()
#pragma warning restore CA1810
    {
        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
            if (ByValue.TryAdd(value, name))
            {
                ByName[name] = value;
                names.Add(name);
            }
        }

        Names = names.ToImmutable();
    }

    public static ImmutableArray<string> Names { get; }

    public static bool TryParse(string name, out TEnum value) => ByName.TryGetValue(name, out value);

    public static string ToName(TEnum value) =>
        ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a named {typeof(TEnum).Name} value.");
}
