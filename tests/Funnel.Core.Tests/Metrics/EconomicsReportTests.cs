using Funnel.Core.Metrics;
using static Funnel.Core.Tests.Metrics.MetricsFixtures;

namespace Funnel.Core.Tests.Metrics;

public sealed class EconomicsReportTests
{
    private static readonly SourceCosts Service = SourceCosts.PerLead(200m, 1000m, 300m);

    [Fact]
    public void BreakEven_ServiceAt1000With300MarginAndLeadsAt200_NeedsTwoThirds()
    {
        // The worked example of the issue: 200 per lead / 300 margin per sale = 2/3.
        var report = EconomicsReport.Compute([new SourceOutcome("ads", 3, 2, Service)]);
        var ads = report["ads"];

        Assert.Equal(200m / 300m, ads.BreakEvenConversion);
        Assert.Equal(2m / 3m, ads.BreakEvenConversion);
        // At exactly 2 sales of 3 leads: spend 600, margin 600, profit 0.
        Assert.Equal((600m, 2000m, 600m, 0m), (ads.Spend, ads.Revenue, ads.Margin, ads.Profit));
        Assert.Equal(EconomicsVerdict.BreakEven, ads.Verdict);
        Assert.Equal(300m, ads.CostPerAcquisition);
        Assert.Equal(0m, ads.Romi);
    }

    [Fact]
    public void Compute_BelowBreakEven_IsLossMaking()
    {
        // 10 leads, 5 sales: spend 2000, margin 1500 → profit −500, ROMI −25%, CPA 400.
        var ads = EconomicsReport.Compute([new SourceOutcome("ads", 10, 5, Service)])["ads"];

        Assert.Equal(-500m, ads.Profit);
        Assert.Equal(-0.25m, ads.Romi);
        Assert.Equal(400m, ads.CostPerAcquisition);
        Assert.Equal(200m, ads.CostPerLead);
        Assert.Equal(EconomicsVerdict.LossMaking, ads.Verdict);
        Assert.False(ads.IsConclusive); // 2/3 lies inside the Wilson interval of 5/10
    }

    [Fact]
    public void Compute_ClearlyBelowBreakEvenWithManyLeads_IsConclusive()
    {
        var ads = EconomicsReport.Compute([new SourceOutcome("ads", 1000, 400, Service)])["ads"];
        Assert.Equal(EconomicsVerdict.LossMaking, ads.Verdict);
        Assert.True(ads.IsConclusive);
    }

    [Fact]
    public void Compute_AboveBreakEven_IsProfitable()
    {
        var seo = EconomicsReport.Compute([new SourceOutcome("seo", 10, 8, Service)])["seo"];
        Assert.Equal(400m, seo.Profit); // 8 × 300 − 10 × 200
        Assert.Equal(EconomicsVerdict.Profitable, seo.Verdict);
    }

    [Fact]
    public void Compute_LeadsDearerThanTheMargin_CannotBreakEven()
    {
        var dear = EconomicsReport.Compute([new SourceOutcome("tv", 10, 10, SourceCosts.PerLead(400m, 1000m, 300m))])["tv"];
        Assert.Equal(4m / 3m, dear.BreakEvenConversion);
        Assert.Equal(EconomicsVerdict.CannotBreakEven, dear.Verdict);
        var noMargin = EconomicsReport.Compute([new SourceOutcome("x", 10, 1, SourceCosts.PerLead(1m, 100m, 0m))])["x"];
        Assert.Null(noMargin.BreakEvenConversion);
        Assert.Equal(EconomicsVerdict.CannotBreakEven, noMargin.Verdict);
    }

    [Fact]
    public void Compute_TotalSpend_PricesLeadsBySpendOverLeads()
    {
        var report = EconomicsReport.Compute(
        [
            new SourceOutcome("ads", 10, 5, SourceCosts.Spend(1000m, 1000m, 300m)),
            new SourceOutcome("seo", 20, 4, SourceCosts.PerLead(0m, 1000m, 300m)),
            new SourceOutcome("idle", 0, 0, SourceCosts.PerLead(50m, 1000m, 300m)),
        ]);

        var ads = report["ads"];
        Assert.Equal(100m, ads.CostPerLead);
        Assert.Equal(1000m / 3000m, ads.BreakEvenConversion);
        Assert.Equal(EconomicsVerdict.Profitable, ads.Verdict);
        Assert.Equal(0m, report["seo"].BreakEvenConversion);
        Assert.Null(report["seo"].Romi);
        Assert.Equal(EconomicsVerdict.NoData, report["idle"].Verdict);
        Assert.Null(report["idle"].CostPerLead);

        // Overall: spend 1000, margin (5 + 4) × 300 = 2700, leads 30 with 9000 of potential margin.
        var overall = report.Overall;
        Assert.Equal(EconomicsReport.OverallLabel, overall.Source);
        Assert.Equal((30L, 9L, 1000m, 2700m, 1700m), (overall.Leads, overall.Sales, overall.Spend, overall.Margin, overall.Profit));
        Assert.Equal(1000m / 9000m, overall.BreakEvenConversion);
        Assert.Equal(1.7m, overall.Romi);
    }

    [Fact]
    public void FromBreakdown_TakesLeadsAndWonPerSegment()
    {
        Journey[] journeys =
        [
            Start("1", 0, ("source", "ads")).Move("d", 1),
            Start("2", 0, ("source", "ads")),
            Start("3", 0, ("source", "ads")).Move("d", 2),
            Start("4", 0, ("source", "seo")),
        ];
        var breakdown = SegmentBreakdown.Compute(Abcd, journeys, SegmentKey.Attribute("source"));
        var report = EconomicsReport.FromBreakdown(breakdown, new Dictionary<string, SourceCosts> { ["ads"] = Service }, SourceCosts.PerLead(0m, 1000m, 300m));

        Assert.Equal((3L, 2L, EconomicsVerdict.BreakEven), (report["ads"].Leads, report["ads"].Sales, report["ads"].Verdict));
        Assert.Equal(1, report["seo"].Leads);
        Assert.Throws<KeyNotFoundException>(() => EconomicsReport.FromBreakdown(breakdown, new Dictionary<string, SourceCosts>()));
    }

    [Fact]
    public void FromBreakdown_LeadLostAfterTheGoal_IsASaleOnlyUnderEverWon()
    {
        // Lead 1 bought and was lost afterwards (churned in the log); lead 2 bought and was reopened. Under the event
        // stream rule both made a sale; under the CRM rule (the default) neither closed.
        FunnelEvent[] log = [Enter("1", "d", 0, "ads"), Lose("1", "d", 5, "price", "ads")];
        Journey[] journeys = [Start("2", 0, ("source", "ads")).Move("d", 1).Reopen(2)];
        var fromLog = SegmentBreakdown.Compute(Abcd, log, SegmentKey.EventSegment);
        var fromJourneys = SegmentBreakdown.Compute(Abcd, journeys, SegmentKey.Attribute("source"));
        var costs = new Dictionary<string, SourceCosts> { ["ads"] = Service };

        Assert.Equal(1, EconomicsReport.FromBreakdown(fromLog, costs, sales: SalesBasis.EverWon)["ads"].Sales);
        Assert.Equal(1, EconomicsReport.FromBreakdown(fromJourneys, costs, sales: SalesBasis.EverWon)["ads"].Sales);
        Assert.Equal(0, EconomicsReport.FromBreakdown(fromLog, costs)["ads"].Sales);
        Assert.Equal(0, EconomicsReport.FromBreakdown(fromJourneys, costs, sales: SalesBasis.Won)["ads"].Sales);
        Assert.Throws<ArgumentOutOfRangeException>("sales", () => EconomicsReport.FromBreakdown(fromLog, costs, sales: (SalesBasis)7));
    }

    [Fact]
    public void Inputs_Misuse_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SourceCosts.PerLead(-1m, 10m, 5m));
        Assert.Throws<ArgumentOutOfRangeException>(() => SourceCosts.PerLead(1m, 10m, 11m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceOutcome("a", 1, 2, Service));
        Assert.Throws<ArgumentException>(() => new SourceOutcome(" ", 1, 0, Service));
        Assert.Throws<ArgumentException>(() => EconomicsReport.Compute([new SourceOutcome("a", 1, 0, Service), new SourceOutcome("a", 1, 0, Service)]));
    }
}
