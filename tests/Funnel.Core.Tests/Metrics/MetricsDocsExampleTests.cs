using Funnel.Core.Metrics;

namespace Funnel.Core.Tests.Metrics;

/// <summary>The usage example of docs/metrics.md and the proposed README paragraph, compiled and run.</summary>
public sealed class MetricsDocsExampleTests
{
    [Fact]
    public void UsageExample_RunsOnTheAidaTemplate()
    {
        var definition = FunnelTemplates.Aida;
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var now = start.AddDays(10);
        var journeys = Enumerable.Range(0, 40).Select(i =>
        {
            var source = i % 2 == 0 ? "ads" : "seo";
            var journey = Journey.Start(definition, $"lead-{i}", start.AddHours(i), attributes: [KeyValuePair.Create("source", source)]);
            if (i % 3 != 0 || i % 4 == 1)
            {
                journey = journey.MoveTo("interest", start.AddHours(i + 1)).GetJourneyOrThrow();
            }

            if (i % 4 == 1)
            {
                journey = journey.MoveTo("desire", start.AddHours(i + 5)).GetJourneyOrThrow().MoveTo("action", start.AddHours(i + 30)).GetJourneyOrThrow();
            }
            else if (i % 5 == 0)
            {
                journey = journey.MarkLost("price", start.AddHours(i + 8)).GetJourneyOrThrow();
            }

            return journey;
        }).ToList();
        var costsBySource = new Dictionary<string, SourceCosts>
        {
            ["ads"] = SourceCosts.PerLead(200m, 1000m, 300m),
            ["seo"] = SourceCosts.Spend(1500m, 1000m, 300m),
        };
        var lines = new List<string>();
        var Console = new LineWriter(lines); // the snippet's Console.WriteLine, captured

        // --- docs/metrics.md usage example, verbatim ---
        var query = FunnelQuery.Default.Ordered(TimeSpan.FromDays(30)).WithAsOf(now);
        var report = FunnelReport.Compute(definition, journeys, query);          // or (definition, events, query)
        foreach (var s in report.Stages)
            Console.WriteLine($"{s.Stage.Key}: reached {s.Reached}, from top {s.ConversionFromTop}, lost {s.Losses.Total}");
        var bySource = SegmentBreakdown.Compute(definition, journeys, SegmentKey.Attribute("source"), query, minimumLeads: 10);
        Console.WriteLine(bySource.CompareOverallConversion());                  // chi-square: real difference or noise?
        var money = EconomicsReport.FromBreakdown(bySource, costsBySource);
        var forecast = MarkovForecast.Learn(definition, journeys, query);
        // --- end of the example ---

        Assert.Equal(40, report.Leads);
        Assert.Equal(10, report.Won); // i % 4 == 1
        Assert.Equal(5, lines.Count);
        Assert.Equal(report.Reached[3], report.Won); // every won lead went through desire to action in order
        Assert.Equal(["ads", "seo"], money.Sources.Select(s => s.Source).Order(StringComparer.Ordinal));
        Assert.Equal(0, money["ads"].Sales); // the wins are the odd leads, all seo
        Assert.Equal(EconomicsVerdict.LossMaking, money["ads"].Verdict);
        Assert.Equal(1.0, forecast["desire"].WinProbability, 12);
    }

    private sealed class LineWriter(List<string> lines)
    {
        public void WriteLine(object? value) => lines.Add(value?.ToString() ?? "");
    }
}
