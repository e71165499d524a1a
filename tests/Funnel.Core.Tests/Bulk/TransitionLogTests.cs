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

public sealed class TransitionLogFromEventsTests
{
    [Fact]
    public void FromEvents_ConvertsKeysToOrdinalsAndInternsIds()
    {
        var aida = FunnelTemplates.Aida;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var reason = aida.LossReasons[2].Key;
        FunnelEvent[] events =
        [
            new("lead-1", "attention", start, segment: "ads"),
            new("lead-2", "attention", start.AddSeconds(1.9)),
            new("lead-1", "interest", start.AddMinutes(1)),
            new("lead-2", "attention", start.AddMinutes(2), reason),
        ];
        var entities = new EntityInterner<string>();

        var log = TransitionLog.FromEvents(events, aida, entities, new EntityInterner<string>());

        Assert.Equal([0, 1, 0, 1], log.EntityIds.ToArray());
        Assert.Equal([0, 0, 1, 0], log.Stages.ToArray().Select(s => (int)s));
        Assert.Equal(start.ToUnixTimeSeconds() + 1, log.Timestamps[1]);
        Assert.Equal([-1, -1, -1, 2], log.LossReasons.ToArray().Select(r => (int)r));
        Assert.Equal([0, -1, -1, -1], log.Segments.ToArray());
        Assert.Equal("lead-2", entities.GetKey(1));
    }

    [Fact]
    public void FromEvents_UnknownStage_ThrowsNamingTheEvent()
    {
        FunnelEvent[] events = [new("a", "attention", DateTimeOffset.UnixEpoch), new("a", "nowhere", DateTimeOffset.UnixEpoch)];

        var error = Assert.Throws<ArgumentException>(() => TransitionLog.FromEvents(events, FunnelTemplates.Aida, new EntityInterner<string>()));

        Assert.Contains("Event 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEvents_JourneyHistory_AnalysesAsExpected()
    {
        var aida = FunnelTemplates.Aida;
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FunnelEvent[] events =
        [
            new("a", "attention", t),
            new("a", "interest", t.AddHours(1)),
            new("a", "desire", t.AddHours(3)),
            new("a", "desire", t.AddHours(4), aida.LossReasons[0].Key),
        ];

        var log = TransitionLog.FromEvents(events, aida, new EntityInterner<string>());
        var report = new TransitionAnalyzer(aida, TimeSpan.FromDays(1)).Analyze(log);

        Assert.Equal([1L, 1L, 1L, 0L], report.Reached.ToArray());
        Assert.Equal(1, report.Transitions[2, report.LostColumn]);
        Assert.Equal(1, report.Losses[2, 0]);
        Assert.Equal(new StageTimeStatistics(1, 1, 7200, 7200), report.TimeInStage[1]);
    }
}
