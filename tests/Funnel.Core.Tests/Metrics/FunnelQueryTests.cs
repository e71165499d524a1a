using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

public sealed class FunnelQueryTests
{
    [Fact]
    public void Default_IsTheCanonicalSemantics()
    {
        var query = FunnelQuery.Default;

        Assert.Equal(ReachMode.OrderedWindow, query.Reach);
        Assert.Null(query.Window);
        Assert.Equal(AnchorMode.First, query.Anchor);
        Assert.Equal(CountMode.Uniques, query.Counting);
        Assert.Equal(TimeInStageMode.EveryStay, query.TimeInStage);
        Assert.False(query.IncludeOpenStays);
        Assert.Null(query.AsOf);
        Assert.Null(query.EnteredFrom);
        Assert.Equal(TimeSpan.FromDays(14), query.SilentAfter);
        Assert.Equal(0.95, query.ConfidenceLevel);
        Assert.Equal(30, query.MinimumSample);
    }

    [Fact]
    public void WithMethods_ReturnNewQueriesAndLeaveTheOriginal()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var query = FunnelQuery.Default.AnyOrder(CountMode.Totals).WithAsOf(at).EnteredBetween(at.AddDays(-7), at).WithMinimumSample(5);

        Assert.Equal((ReachMode.AnyOrder, CountMode.Totals, at, 5), (query.Reach, query.Counting, query.AsOf!.Value, query.MinimumSample));
        Assert.Equal(at.AddDays(-7), query.EnteredFrom);
        Assert.Equal(ReachMode.OrderedWindow, FunnelQuery.Default.Reach);
        // Switching back to an ordered reach resets totals to uniques (totals apply to any-order only).
        Assert.Equal(CountMode.Uniques, query.Ordered(TimeSpan.FromDays(1)).Counting);
        Assert.Equal(CountMode.Uniques, query.PassThrough().Counting);
        Assert.Equal(at, query.PassThrough().AsOf);
        Assert.Null(query.WithAsOf(null).AsOf);
    }

    [Fact]
    public void Misuse_ThrowsEarly()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.Ordered(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.Ordered(null, (AnchorMode)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.AnyOrder((CountMode)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.WithTimeInStage((TimeInStageMode)7));
        Assert.Throws<ArgumentException>(() => FunnelQuery.Default.EnteredBetween(at, at));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.WithSilentAfter(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.WithConfidenceLevel(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelQuery.Default.WithMinimumSample(-1));
    }

    [Fact]
    public void ToString_NamesTheSemantics()
    {
        Assert.Equal("OrderedWindow(window unbounded, anchor First), Uniques, EveryStay", FunnelQuery.Default.ToString());
    }
}
