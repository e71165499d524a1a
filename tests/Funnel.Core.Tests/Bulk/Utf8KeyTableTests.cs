using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// The CSV fast path's key table (<see cref="Utf8KeyTable"/>): decimal keys below the direct limit are found by
/// value, all others by hash, and either way ids are the order of first appearance, as a dictionary gives them.
/// </summary>
public sealed class Utf8KeyTableTests
{
    [Property(MaxTest = 300)]
    public Property GetOrAdd_GivesIdsInOrderOfFirstAppearance_WhateverTheDirectLimit()
    {
        var cases = from keys in Utf8KeyGenerators.Keys.ListOf()
                    from limit in Gen.Elements(0, 1, 50, 301, 1 << 16)
                    select (keys, limit);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var table = new Utf8KeyTable(capacity: 4, directLimit: c.limit);
            var expected = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var key in c.keys)
            {
                var id = table.GetOrAdd(Encoding.UTF8.GetBytes(key));
                if (!expected.TryGetValue(key, out var want))
                {
                    want = expected[key] = expected.Count;
                }

                if (id != want)
                {
                    return false.Label($"'{key}' got {id}, expected {want}");
                }
            }

            var found = expected.All(e => table.Find(Encoding.UTF8.GetBytes(e.Key)) == e.Value && Encoding.UTF8.GetString(table.Key(e.Value)) == e.Key);
            return (table.Count == expected.Count && found && table.ToStrings().SequenceEqual(expected.OrderBy(e => e.Value).Select(e => e.Key)))
                .Label("count, find, key or strings differ");
        });
    }

    [Fact]
    public void Find_KeyOnlyInTheOtherIndex_IsNotFound()
    {
        // "12" is direct (below the limit), "012" and "1200" are hashed: none is found as another.
        var table = new Utf8KeyTable(capacity: 4, directLimit: 100);
        Assert.Equal(0, table.GetOrAdd("12"u8));
        Assert.Equal(1, table.GetOrAdd("012"u8));
        Assert.Equal(2, table.GetOrAdd("1200"u8));

        Assert.Equal(-1, table.Find("13"u8));
        Assert.Equal(-1, table.Find("0012"u8));
        Assert.Equal(-1, table.Find("120"u8));
        Assert.Equal(2, table.Find("1200"u8));
        Assert.True(table.IsDirect("99"u8, out var value));
        Assert.Equal(99, value);
        Assert.False(table.IsDirect("100"u8, out _));
        Assert.False(table.IsDirect("012"u8, out _));
    }
}
