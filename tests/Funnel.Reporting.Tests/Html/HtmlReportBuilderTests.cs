using System.Text.RegularExpressions;
using Funnel.Core;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Html;

public class HtmlReportBuilderTests
{
    internal static string FullReport()
    {
        var journeys = DemoData.Journeys();
        var query = FunnelQuery.Default.WithAsOf(DemoData.Start.AddDays(90));
        var report = FunnelReport.Compute(DemoData.Definition, journeys, query);
        var segments = SegmentBreakdown.Compute(DemoData.Definition, journeys, SegmentKey.Attribute("source"), query);
        var costs = new Dictionary<string, SourceCosts>
        {
            ["ads"] = SourceCosts.PerLead(200m, 1000m, 300m),
            ["seo"] = SourceCosts.Spend(5000m, 1000m, 300m),
            ["email"] = SourceCosts.PerLead(20m, 1000m, 300m),
        };
        return new HtmlReportBuilder(report)
            .WithSegments(segments)
            .WithCohorts(CohortReport.Compute(DemoData.Definition, journeys, CohortPeriod.IsoWeek, query))
            .WithEconomics(EconomicsReport.FromBreakdown(segments, costs))
            .WithForecast(MarkovForecast.Learn(DemoData.Definition, journeys, query))
            .Build();
    }

    [Fact]
    public void Build_FullReport_HasEverySectionAndNoExternalResources()
    {
        var html = FullReport();

        foreach (var heading in new[] { "<h2>Stages</h2>", "<h2>Losses by reason</h2>", "<h2>Segments by source</h2>", "<h2>Cohorts by ISO week of entry</h2>", "<h2>Economics</h2>", "<h2>Forecast</h2>" })
        {
            Assert.Contains(heading, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.Empty(Regex.Matches(html, "(src|href)=", RegexOptions.IgnoreCase));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StageTable_ShowsIntervalsAndFlagsSignificance()
    {
        var html = FullReport();

        foreach (var stage in DemoData.Definition.Stages)
        {
            Assert.Contains($"<tr><th scope=\"row\">{stage.DisplayName}", html, StringComparison.Ordinal);
        }

        Assert.Matches(@"\d+\.\d% <span class=""ci"">\(\d+\.\d% – \d+\.\d%\)</span>", html);
        Assert.Matches("✔ significant|not significant \\(could be noise\\)", html);
        Assert.Contains("Overall conversion differs between segments:", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">(overall)</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SmallSample_IsFlagged()
    {
        var journeys = DemoData.Journeys(count: 12);
        var html = new HtmlReportBuilder(DemoData.Report(journeys)).WithTitle("Tiny <pilot>").Build();

        Assert.Contains("<span class=\"flag\">small sample</span>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Tiny &lt;pilot&gt;</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        var builder = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30)));
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }
}
