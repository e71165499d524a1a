using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Html;

/// <summary>The HTML report on exports without losses, with tiny segments and silent leads (issue 23).</summary>
public class HtmlSmallSampleAndCensoringTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    // A click log: no loss event; s1–s3 bought (action), s4–s6 stopped at interest long before the as-of time, s7 is recent.
    private static FunnelEvent[] ClickLog()
    {
        var t = DemoData.Start;
        var log = new List<FunnelEvent>();
        for (var i = 1; i <= 6; i++)
        {
            var source = i % 2 == 0 ? "ads" : i == 5 ? "tiny" : "seo";
            log.Add(new FunnelEvent($"s{i}", "attention", t, default, source));
            log.Add(new FunnelEvent($"s{i}", "interest", t.AddMinutes(5), default, source));
            if (i <= 3)
            {
                log.Add(new FunnelEvent($"s{i}", "desire", t.AddMinutes(10), default, source));
                log.Add(new FunnelEvent($"s{i}", "action", t.AddMinutes(20), default, source));
            }
        }

        log.Add(new FunnelEvent("s7", "attention", t.AddDays(30), default, "seo"));
        return [.. log];
    }

    [Fact]
    public void Build_NoLossRecorded_SaysSoInsteadOfAnInterval()
    {
        var report = FunnelReport.Compute(Aida, ClickLog());
        var html = new HtmlReportBuilder(report).Build();

        Assert.True(report.NoLossesRecorded);
        Assert.Contains("Win rate (won of closed): 100.0% <span class=\"flag\">no losses recorded</span>.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ForecastWithTooFewOutcomes_PrintsInsufficientDataWithTheReason()
    {
        var forecast = MarkovForecast.Learn(Aida, ClickLog());
        var html = new HtmlReportBuilder(FunnelReport.Compute(Aida, ClickLog())).WithForecast(forecast).Build();

        Assert.Contains("<span class=\"flag\">insufficient data</span> <span class=\"muted\">only 6 of the 7 leads that were at this stage have an outcome", html, StringComparison.Ordinal);
        Assert.Contains("leads still open inside the threshold are censored", html, StringComparison.Ordinal);
        Assert.DoesNotContain("100.0%</td><td>", html[html.IndexOf("<h2>Forecast</h2>", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TinySegments_FlagTheTestAndNameTheMergedSegments()
    {
        var segments = SegmentBreakdown.Compute(Aida, ClickLog(), SegmentKey.EventSegment, minimumLeads: 2);
        var html = new HtmlReportBuilder(segments.Total).WithSegments(segments).Build();

        Assert.Contains("1 segments with fewer than 2 leads were merged into (other): tiny.", html, StringComparison.Ordinal);
        Assert.Contains("Monte-Carlo permutation test, 10,000 tables, seed 20231", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"flag\">small sample: 6 of 6 expected counts below 5</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OutcomeReached_LabelsBothWonCounts()
    {
        var reached = Aida.ToBuilder().WithOutcome(OutcomeRule.Reached).Build();
        var t = DemoData.Start;
        FunnelEvent[] log = [new("b", "attention", t), new("b", "action", t.AddMinutes(1)), new("b", "interest", t.AddMinutes(2))];

        var html = new HtmlReportBuilder(FunnelReport.Compute(reached, log)).Build();

        Assert.Contains("<p>Won 1 (outcome: reached the goal); 0 after their last event (last-status).</p>", html, StringComparison.Ordinal);
    }
}
