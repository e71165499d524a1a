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
            return (table.Count == expected.Count && found && Arena(table).ToStrings().SequenceEqual(expected.OrderBy(e => e.Value).Select(e => e.Key)))
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

    [Fact]
    public void Arena_TwoTablesAppended_KeepsEveryKeyInIdOrder()
    {
        // A file's keys: all of the first chunk's table (copied whole), then the new keys of a later one, one by one.
        var first = new Utf8KeyTable(capacity: 2, directLimit: 100);
        string[] firstKeys = ["7", "lead-ä", "", "99", "x"];
        foreach (var key in firstKeys)
        {
            first.GetOrAdd(Encoding.UTF8.GetBytes(key));
        }

        var later = new Utf8KeyTable(capacity: 2);
        var laterIds = new[] { "日本", "7", "zz" }.Select(k => later.GetOrAdd(Encoding.UTF8.GetBytes(k))).ToArray();

        var arena = new Utf8KeyArena(first.Count + 2, first.ArenaLength + later.Key(laterIds[0]).Length + later.Key(laterIds[2]).Length);
        arena.AppendAll(first);
        arena.Append(later.Key(laterIds[0]));
        arena.Append(later.Key(laterIds[2]));

        string[] expected = [.. firstKeys, "日本", "zz"];
        Assert.Equal(expected.Length, arena.Count);
        Assert.Equal(expected, arena.ToStrings());
        Assert.Equal(expected, Enumerable.Range(0, arena.Count).Select(arena.GetString));
    }

    [Fact]
    public void Arena_EmptyTable_HasNoKeys()
    {
        var arena = Arena(new Utf8KeyTable());

        Assert.Equal(0, arena.Count);
        Assert.Empty(arena.ToStrings());
    }

    private static Utf8KeyArena Arena(Utf8KeyTable table)
    {
        var arena = new Utf8KeyArena(table.Count, table.ArenaLength);
        arena.AppendAll(table);
        return arena;
    }
}
