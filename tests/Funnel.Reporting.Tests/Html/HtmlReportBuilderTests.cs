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

        foreach (var heading in new[] { "<h2>Stages</h2>", "<h2>Losses by reason</h2>", "<h2>Conversion by source</h2>", "<h2>Cohorts by ISO week of entry (UTC)</h2>", "<h2>Economics</h2>", "<h2>Forecast</h2>" })
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
    public void Build_LossesAtNoStage_AreExplainedUnderTheLossTable()
    {
        // One lead lost as its first event, one lost at interest and again right after: 3 losses, 1 in a stage.
        var definition = FunnelTemplates.Aida;
        var t = DemoData.Start;
        FunnelEvent[] log =
        [
            new("u", "attention", t, "price"), new("u", "attention", t.AddHours(1)),
            new("l", "attention", t), new("l", "interest", t.AddHours(1)), new("l", "interest", t.AddHours(2), "price"), new("l", "interest", t.AddHours(3), "competitor"),
        ];

        var html = new HtmlReportBuilder(FunnelReport.Compute(definition, log)).Build();

        Assert.Contains("2 of these losses happened at no stage and are not in the stages' Lost column: 1 after an earlier loss, 1 as the lead's first event (stage unknown).", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithDataQuality_StatesEachFindingEscapedUnderTheSummary()
    {
        var html = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30)))
            .WithDataQuality(["Skipped 3 of 12 rows of <export>.csv as bad (stage 2, timestamp 1)."])
            .Build();

        var section = html.IndexOf("<h2 id=\"data-quality\">Data quality</h2>", StringComparison.Ordinal);
        Assert.True(section > html.IndexOf("class=\"summary\"", StringComparison.Ordinal), "the section follows the summary");
        Assert.True(section < html.IndexOf("<h2>Stages</h2>", StringComparison.Ordinal), "the section comes before the numbers");
        Assert.Contains("<li>Skipped 3 of 12 rows of &lt;export&gt;.csv as bad (stage 2, timestamp 1).</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithDataQualityReport_ListsTheChecksAfterTheGivenFindings()
    {
        // Lead b moves back from interest to attention, which AIDA (forward only) does not allow.
        var t = DemoData.Start;
        FunnelEvent[] log = [new("a", "attention", t), new("a", "interest", t.AddHours(1)), new("b", "attention", t), new("b", "interest", t.AddHours(1)), new("b", "attention", t.AddHours(2))];
        var report = FunnelReport.Compute(FunnelTemplates.Aida, log);
        var quality = DataQualityReport.Compute(FunnelTemplates.Aida, report.Transitions, Funnel.Core.Bulk.TransitionLog.FromEvents(log, FunnelTemplates.Aida, new Funnel.Core.Bulk.EntityInterner<string>()));

        var html = new HtmlReportBuilder(report).WithDataQuality(["All 5 rows were read."]).WithDataQuality(quality).Build();

        var given = html.IndexOf("<li>All 5 rows were read.</li>", StringComparison.Ordinal);
        var moves = html.IndexOf("<li>1 move not allowed by the definition (1 back move): Interest → Attention 1. They are counted like any other move.</li>", StringComparison.Ordinal);
        Assert.True(given > 0 && moves > given, html);
        Assert.Contains("<li>No event is dated before its lead&#39;s first entry into Attention.</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StageTable_ShowsADashWhereANumberDoesNotApplyAndDefinesNotClosed()
    {
        var html = FullReport();

        // Customer journey: awareness is first (no previous stage), convert is the goal, advocacy is last (no next stage).
        var first = Row(html, "Awareness");
        var goal = Row(html, "Convert");
        var last = Row(html, "Advocacy");
        Assert.Equal("–", first[1]);
        Assert.Equal(("–", "–"), (goal[5], goal[6]));
        Assert.Equal(("–", "–", "–"), (last[3], last[5], last[6]));
        Assert.Contains("<th scope=\"col\">Not closed: dropped</th><th scope=\"col\">Not closed: active</th>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"legend\">Not closed: neither won nor lost after the lead&#39;s last event. Each not-closed lead is either active (an event within 14 d 0 h", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Still open", html, StringComparison.Ordinal);
        Assert.Matches(@"class=""summary"">[^<]* not closed [\d,]+ ", html);
    }

    [Fact]
    public void Build_Forecast_NamesTheMethodAndPopulationOfEachNumber()
    {
        var html = FullReport();

        Assert.Matches(@"<li><strong>Observed conversion</strong> \(\d+\.\d%\): counted, not estimated — the leads won after their last event, out of all [\d,]+ leads of the report", html);
        Assert.Matches(@"<li><strong>Forecast win probability</strong> \(per stage below\): estimated by an absorbing Markov chain learned from the [\d,]+ observed moves", html);
    }

    /// <summary>The cells of a stage's row in the stages table (the first table), after the stage name.</summary>
    private static string[] Row(string html, string stage)
    {
        var table = html[html.IndexOf("<h2>Stages</h2>", StringComparison.Ordinal)..html.IndexOf("<h2>Losses by reason</h2>", StringComparison.Ordinal)];
        var row = Regex.Match(table, $"<tr><th scope=\"row\">{stage}[^<]*(<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>").Groups[2].Value;
        return Regex.Matches(row, "<td>(.*?)</td>").Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void Build_WithNoDataQualityFindings_SaysNoneWereFound()
    {
        var html = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30))).WithDataQuality([]).Build();

        Assert.Contains("<p>No problem found in the input.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutDataQuality_HasNoSuchSection()
    {
        var html = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30))).Build();

        Assert.DoesNotContain("Data quality", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WithDataQuality_BlankFinding_Throws()
    {
        var builder = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30)));

        Assert.Throws<ArgumentException>(() => builder.WithDataQuality(["fine", " "]));
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        var builder = new HtmlReportBuilder(DemoData.Report(DemoData.Journeys(count: 30)));
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }
}
