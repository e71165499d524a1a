using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogTests
{
    [Fact]
    public void Create_CopiesColumnsAndRecordsLimits()
    {
        int[] entities = [3, 1, 3];
        var log = TransitionLog.Create(entities, new short[] { 0, 2, 1 }, new long[] { 10, 20, 20 }, new short[] { -1, 4, -1 });
        entities[0] = 99;

        Assert.Equal(3, log.Count);
        Assert.Equal(3, log.EntityIds[0]);
        Assert.Equal(4, log.EntityIdLimit);
        Assert.Equal(3, log.StageLimit);
        Assert.Equal(5, log.LossReasonLimit);
        Assert.True(log.IsTimeOrdered);
        Assert.False(log.HasSegments);
        Assert.Equal(48, log.SizeInBytes);
    }

    [Fact]
    public void Create_ColumnsOfDifferentLengths_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TransitionLog.Create([1, 2], new short[] { 0 }, new long[] { 1, 2 }, new short[] { -1, -1 }));

        Assert.Contains("same length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NegativeEntity_ThrowsNamingTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => TransitionLog.Create([1, -2], new short[] { 0, 0 }, new long[] { 1, 2 }, new short[] { -1, -1 }));

        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TimestampOutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => TransitionLog.Create([1], new short[] { 0 }, new long[] { long.MaxValue }, new short[] { -1 }));
    }

    [Fact]
    public void IsTimeOrdered_DecreasingTimestamp_IsFalse()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 10).Add(1, 0, 5).Build();

        Assert.False(log.IsTimeOrdered);
    }

    [Fact]
    public void Builder_AfterBuild_Throws()
    {
        var builder = new TransitionLogBuilder();
        builder.Add(0, 0, 0);
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.Add(0, 0, 0));
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Builder_ManyRows_GrowsAndKeepsOrder()
    {
        var builder = new TransitionLogBuilder(capacity: 0, withSegments: true);
        for (var i = 0; i < 1000; i++)
        {
            builder.Add(i % 7, i % 3, i, i % 5 == 0 ? 1 : -1, i % 4 == 0 ? -1 : 2);
        }

        var log = builder.Build();

        Assert.Equal(1000, log.Count);
        Assert.Equal(999, log.Timestamps[999]);
        Assert.Equal(996 % 7, log.EntityIds[996]);
        Assert.Equal(-1, log.Segments[0]);
        Assert.Equal(2, log.Segments[1]);
    }

    [Fact]
    public void Builder_InvalidValues_Throw()
    {
        var builder = new TransitionLogBuilder();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(0, 40_000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(0, 0, 0, lossReason: -2));
    }

    [Fact]
    public void Slice_CopiesTheRangeAndRecomputesLimits()
    {
        var log = new TransitionLogBuilder().Add(5, 2, 10).Add(1, 0, 20).Add(2, 1, 5).Build();

        var slice = log.Slice(1, 1);

        Assert.Equal(1, slice.Count);
        Assert.Equal(2, slice.EntityIdLimit);
        Assert.True(slice.IsTimeOrdered);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Slice(2, 2));
    }

    [Fact]
    public void EntityInterner_GivesDenseIdsInOrderOfFirstAppearance()
    {
        var interner = new EntityInterner<string>();

        Assert.Equal(0, interner.Intern("b"));
        Assert.Equal(1, interner.Intern("a"));
        Assert.Equal(0, interner.Intern("b"));
        Assert.Equal(2, interner.Count);
        Assert.Equal("a", interner.GetKey(1));
        Assert.True(interner.TryGetId("a", out var id));
        Assert.Equal(1, id);
        Assert.False(interner.TryGetId("c", out _));
        Assert.Equal(["b", "a"], interner.ToImmutableArray().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => interner.GetKey(2));
    }
}
