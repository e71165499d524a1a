using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Funnel.Serialization.Json.Tests;

/// <summary>
/// Compares two values by structure, for types without value equality (such as <c>FunnelReport</c>,
/// <c>StageMetrics</c>, <c>FunnelQuery</c>): sequences item by item, values that implement <see cref="IEquatable{T}"/>
/// of themselves with it, and anything else through every public instance property, recursively. A property
/// added to a report type later is compared without changing this class. Times compare with their offset
/// (<see cref="DateTimeOffset.EqualsExact"/>), since the JSON round-trip promises to keep it.
/// </summary>
internal static class StructuralComparer
{
    /// <summary>Returns <see langword="null"/> when the values are equal, otherwise the path of the first difference with both values.</summary>
    public static string? FirstDifference(object? expected, object? actual, string path = "value") => Compare(expected, actual, path, 0);

    /// <summary>Fails the test with the path of the first difference.</summary>
    public static void AssertEqual(object? expected, object? actual, string path = "value")
    {
        if (FirstDifference(expected, actual, path) is { } difference)
        {
            Assert.Fail(difference);
        }
    }

    private static string? Compare(object? expected, object? actual, string path, int depth)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : Differ(path, expected, actual);
        }

        var type = expected.GetType();
        if (type != actual.GetType())
        {
            return $"{path}: type {type.Name} != {actual.GetType().Name}";
        }

        if (depth > 12)
        {
            return $"{path}: nested too deep to compare";
        }

        if (expected is DateTimeOffset e && actual is DateTimeOffset a)
        {
            return e.EqualsExact(a) ? null : Differ(path, expected, actual);
        }

        if (expected is string)
        {
            return expected.Equals(actual) ? null : Differ(path, expected, actual);
        }

        if (expected is IEnumerable left && actual is IEnumerable right)
        {
            var (l, r) = (left.Cast<object?>().ToList(), right.Cast<object?>().ToList());
            if (l.Count != r.Count)
            {
                return $"{path}: {l.Count} items != {r.Count} items";
            }

            for (var i = 0; i < l.Count; i++)
            {
                if (Compare(l[i], r[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), depth + 1) is { } difference)
                {
                    return difference;
                }
            }

            return null;
        }

        if (type.IsPrimitive || type.IsEnum || expected is decimal or TimeSpan || IsSelfEquatable(type))
        {
            return expected.Equals(actual) ? null : Differ(path, expected, actual);
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            if (Compare(property.GetValue(expected), property.GetValue(actual), path + "." + property.Name, depth + 1) is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static bool IsSelfEquatable(Type type) => typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type);

    private static string Differ(string path, object? expected, object? actual) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}: expected {expected ?? "null"}, found {actual ?? "null"}");
}
