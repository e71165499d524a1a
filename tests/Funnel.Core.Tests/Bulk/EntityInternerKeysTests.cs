using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>An interner over keys a reader already holds (<see cref="EntityInterner{TKey}(int, Func{int, TKey}, IEqualityComparer{TKey})"/>).</summary>
public sealed class EntityInternerKeysTests
{
    [Fact]
    public void FromKeys_MakesAKeyOnlyWhenAskedFor_AndInternsOnTopOfThem()
    {
        var made = new List<int>();
        var interner = new EntityInterner<string>(3, id => { made.Add(id); return "k" + id; }, StringComparer.Ordinal);

        Assert.Equal(3, interner.Count);
        Assert.Empty(made);
        Assert.Equal("k1", interner.GetKey(1));
        Assert.Equal([1], made);
        Assert.Equal(2, interner.Intern("k2"));
        Assert.Equal(3, interner.Intern("new"));
        Assert.True(interner.TryGetId("k0", out var id));
        Assert.Equal(0, id);
        Assert.Equal(["k0", "k1", "k2", "new"], interner.AsReadOnlyList());
    }

    [Fact]
    public void FromKeys_KeysNotDistinct_FailWhenTheLookupIsBuilt_NamingTheKey()
    {
        var interner = new EntityInterner<string>(3, id => id == 2 ? "K0" : "k" + id, StringComparer.OrdinalIgnoreCase);

        Assert.Equal("K0", interner.GetKey(2));
        var error = Assert.Throws<InvalidOperationException>(() => interner.Intern("k1"));
        Assert.Contains("'K0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ids 0 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKeys_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>("count", () => new EntityInterner<string>(-1, id => "k", null));
        Assert.Throws<ArgumentNullException>("keyAt", () => new EntityInterner<string>(1, null!, null));
    }

    [Property(MaxTest = 200)]
    public bool FromKeys_EqualsInterningTheSameKeysOneByOne(string[] keys, string[] more)
    {
        var distinct = keys.Where(k => k is not null).Distinct(StringComparer.Ordinal).ToArray();
        var expected = new EntityInterner<string>(StringComparer.Ordinal);
        foreach (var key in distinct)
        {
            expected.Intern(key);
        }

        var actual = new EntityInterner<string>(distinct.Length, id => distinct[id], StringComparer.Ordinal);
        var ids = more.Where(k => k is not null).Select(k => (expected.Intern(k), actual.Intern(k))).ToArray();
        return ids.All(p => p.Item1 == p.Item2) && expected.ToImmutableArray().SequenceEqual(actual.ToImmutableArray());
    }
}
