using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class ManagerViewTests
{
    private static readonly Journey[] Journeys =
    [
        Start("J1", 0, ("owner", "anna")).Move("b", 1).Move("c", 3).Move("d", 6),
        Start("J2", 0, ("owner", "anna")).Move("b", 3).Lose("price", 5),
        Start("J3", 0, ("owner", "boris")),
        Start("J4", 0, ("owner", "boris")).Move("c", 2),
        Start("J5", 0).Lose("competitor", 1),
    ];

    [Fact]
    public void Compute_PerOwner_HandledWonLostOpenAndResponseTime()
    {
        var view = ManagerView.Compute(Abcd, Journeys);

        Assert.Equal([SegmentBreakdown.NoneLabel, "anna", "boris"], view.Managers.Select(m => m.Owner));
        var anna = view["anna"];
        Assert.Equal((2L, 1L, 1L, 0L), (anna.Handled, anna.Won, anna.Lost, anna.OpenNow));
        Assert.Equal(1, anna.LostByReason["price"]);
        Assert.Equal(TimeSpan.FromHours(1), anna.MedianTimeToFirstMove); // lower median of 1 h and 3 h
        var boris = view["boris"];
        Assert.Equal((2L, 0L, 0L, 2L), (boris.Handled, boris.Won, boris.Lost, boris.OpenNow));
        Assert.Equal(TimeSpan.FromHours(2), boris.MedianTimeToFirstMove);
        Assert.Equal(1, view[SegmentBreakdown.NoneLabel].LostByReason["competitor"]);
        Assert.Equal(0, view[SegmentBreakdown.NoneLabel].LostByReason.Recoverable);
    }

    [Fact]
    public void Compute_AsOf_ShowsTheLoadThen()
    {
        var view = ManagerView.Compute(Abcd, Journeys, FunnelQuery.Default.WithAsOf(At(4)));

        Assert.Equal((0L, 0L, 2L), (view["anna"].Won, view["anna"].Lost, view["anna"].OpenNow));
        Assert.Equal(At(4), view.AsOf);
    }

    [Fact]
    public void Compute_EventLog_OwnerIsTheSegment()
    {
        FunnelEvent[] log = [Enter("x", "a", 0, "anna"), Enter("x", "b", 2), Enter("y", "a", 0, "anna")];
        var view = ManagerView.Compute(Abcd, log);

        Assert.Equal((2L, 2L), (view["anna"].Handled, view["anna"].OpenNow));
        Assert.Equal(TimeSpan.FromHours(2), view["anna"].MedianTimeToFirstMove);
        Assert.Throws<KeyNotFoundException>(() => view["zoe"]);
    }
}
