using System.Collections;
using System.Collections.Immutable;
using System.Reflection;

namespace Funnel.Core.Tests;

/// <summary>Every public type is sealed, abstract, static or a value type, with no public setter and no mutable public collection.</summary>
public class PublicApiShapeTests
{
    private static readonly Type[] PublicTypes = typeof(FunnelDefinition).Assembly.GetExportedTypes();

    /// <summary>Builders are the documented mutable, single-use types; everything else is immutable.</summary>
    private static bool IsBuilder(Type type) => type.Name.EndsWith("Builder", StringComparison.Ordinal);

    [Fact]
    public void PublicClasses_AreSealedAbstractOrStatic()
    {
        var open = PublicTypes
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToArray();
        Assert.Empty(open);
    }

    [Fact]
    public void PublicTypes_HaveNoPublicSetters()
    {
        var setters = PublicTypes
            .Where(t => !IsBuilder(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true } && !IsInitOnly(p))
            .Select(p => $"{p.DeclaringType!.FullName}.{p.Name}")
            .ToArray();
        Assert.Empty(setters);
    }

    [Fact]
    public void PublicTypes_HaveNoPublicFieldsExceptConstants()
    {
        var fields = PublicTypes
            .Where(t => !t.IsEnum)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !(f.IsInitOnly && IsImmutableType(f.FieldType)))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToArray();
        Assert.Empty(fields);
    }

    [Fact]
    public void PublicMembers_ExposeNoMutableCollections()
    {
        var mutable = PublicTypes
            .Where(t => !IsBuilder(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(p => IsMutableCollection(p.PropertyType))
            .Select(p => $"{p.DeclaringType!.FullName}.{p.Name}: {p.PropertyType.Name}")
            .ToArray();
        Assert.Empty(mutable);
    }

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static bool IsImmutableType(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset)
        || type.Namespace == "System.Collections.Immutable" || (type.IsValueType && type.Assembly == typeof(FunnelDefinition).Assembly)
        || (type.IsSealed && type.Assembly == typeof(FunnelDefinition).Assembly);

    private static bool IsMutableCollection(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return false;
        }

        if (type.IsArray)
        {
            return true;
        }

        if (type.Namespace == "System.Collections.Immutable")
        {
            return false;
        }

        // Read-only interfaces are views; concrete List<T>, Dictionary<,>, HashSet<T> and ICollection<T> are not.
        if (type.IsInterface && type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            return definition != typeof(IEnumerable<>) && definition != typeof(IReadOnlyList<>)
                && definition != typeof(IReadOnlyCollection<>) && definition != typeof(IReadOnlyDictionary<,>)
                && definition != typeof(IReadOnlySet<>) && definition != typeof(IAsyncEnumerable<>);
        }

        return !(type.IsValueType && type.Assembly == typeof(FunnelDefinition).Assembly);
    }

    [Fact]
    public void Checker_FlagsMutableCollections()
    {
        Assert.True(IsMutableCollection(typeof(List<int>)));
        Assert.True(IsMutableCollection(typeof(int[])));
        Assert.True(IsMutableCollection(typeof(IList<int>)));
        Assert.False(IsMutableCollection(typeof(ImmutableArray<int>)));
        Assert.False(IsMutableCollection(typeof(IReadOnlyList<int>)));
    }
}
