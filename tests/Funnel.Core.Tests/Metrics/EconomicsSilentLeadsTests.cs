using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Economics on data with silent leads (issue 23): which leads CAC and ROMI count.</summary>
public sealed class EconomicsSilentLeadsTests
{
    private static readonly SourceCosts Service = SourceCosts.PerLead(200m, 1000m, 300m);

    // ads: A1 won, A2 silent (idle 700 h > 14 days), A3 open and active. No loss event.
    private static readonly FunnelEvent[] Log =
    [
        Enter("A1", "a", 0, "ads"), Enter("A1", "d", 1, "ads"),
        Enter("A2", "a", 0, "ads"),
        Enter("A3", "a", 699, "ads"), Enter("A3", "b", 700, "ads"),
    ];

    [Fact]
    public void FromBreakdown_CountsEveryLeadsCost_AndOpenLeadsAsLeadsWithoutASale()
    {
        var breakdown = SegmentBreakdown.Compute(Abcd, Log, SegmentKey.EventSegment);
        var ads = EconomicsReport.FromBreakdown(breakdown, new Dictionary<string, SourceCosts> { ["ads"] = Service })["ads"];

        Assert.Equal((3L, 1L, 2L, 1L), (ads.Leads, ads.Sales, ads.OpenLeads, ads.SilentLeads));
        Assert.Equal(600m, ads.Spend);
        Assert.Equal(600m, ads.CostPerAcquisition);
    }

    [Fact]
    public void FromBreakdown_UnderReached_SalesFollowTheDefinitionsRule()
    {
        FunnelEvent[] log = [Enter("B", "a", 0, "ads"), Enter("B", "d", 1, "ads"), Enter("B", "c", 2, "ads")];
        var reached = Abcd.ToBuilder().WithOutcome(OutcomeRule.Reached).Build();
        var costs = new Dictionary<string, SourceCosts> { ["ads"] = Service };

        var lastStatus = EconomicsReport.FromBreakdown(SegmentBreakdown.Compute(Abcd, log, SegmentKey.EventSegment), costs)["ads"];
        var onceReached = EconomicsReport.FromBreakdown(SegmentBreakdown.Compute(reached, log, SegmentKey.EventSegment), costs)["ads"];

        Assert.Equal((0L, 1L), (lastStatus.Sales, lastStatus.OpenLeads));
        Assert.Equal((1L, 0L), (onceReached.Sales, onceReached.OpenLeads));
    }

    [Fact]
    public void SourceOutcome_OpenAndSilentCounts_AreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceOutcome("x", 10, 5, Service, openLeads: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceOutcome("x", 10, 5, Service, openLeads: 2, silentLeads: 3));
        var overall = EconomicsReport.Compute([new SourceOutcome("x", 10, 5, Service, 4, 1), new SourceOutcome("y", 5, 1, Service, 3, 3)]).Overall;
        Assert.Equal((7L, 4L), (overall.OpenLeads, overall.SilentLeads));
    }
}
