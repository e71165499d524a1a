// A Generic Host that loads the customer-journey funnel (with its rules) from a JSON file through AddFunnel,
// runs simulated leads from three traffic sources through it, and writes the HTML report.
//   dotnet run --project samples/Funnel.Samples.JsonConfigured [-- <output folder>]
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Rules;
using Funnel.Extensions.DependencyInjection;
using Funnel.Reporting;
using Funnel.Samples.JsonConfigured;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var output = args.Length > 0 ? args[0] : Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "reports");
var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
var clock = new SimulatedClock(start);

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<TimeProvider>(clock);
builder.Services.AddFunnel().AddJsonDefinitions("funnels");

using var host = builder.Build();
await host.StartAsync(); // validate-on-start: a bad definition file stops here with every problem, file, JSON path and line

var registry = host.Services.GetRequiredService<IFunnelRegistry>();
var journeys = host.Services.GetRequiredService<FunnelJourneyService>();
var funnel = registry.GetFunnel("customer-journey");
Console.WriteLine($"Loaded {funnel.Definition.DisplayName}: {funnel.Definition.Stages.Length} stages, rules: {string.Join(", ", funnel.Rules.Rules.Select(r => r.Id))}");

// Simulate 900 leads over eight weeks: each source converts at its own rate; some leads are lost with a reason.
var random = new Random(2026);
(string Source, double Advance)[] sources = [("ads", 0.55), ("seo", 0.68), ("email", 0.76)];
string[] reasons = ["slow-response", "abandoned-cart", "price", "competitor", "not-qualified"];
var leads = new List<Journey>();
var tasks = 0;
for (var i = 0; i < 900; i++)
{
    var (source, advance) = sources[i % sources.Length];
    clock.Set(start.AddHours(random.Next(0, 24 * 56)));
    var lead = journeys.Start("customer-journey", $"lead-{i:D4}", "web-form", [KeyValuePair.Create("source", source), KeyValuePair.Create("amount", "1000")]);
    foreach (var stage in funnel.Definition.Stages.Skip(1))
    {
        clock.Set(clock.Now.AddHours(random.Next(2, 120)));
        if (random.NextDouble() > advance)
        {
            if (lead.Status == JourneyStatus.Open && random.NextDouble() < 0.75)
            {
                var lost = journeys.MarkLost(lead, reasons[random.Next(reasons.Length)], "sales");
                tasks += lost.Pending.OfType<ScheduleTaskCommand>().Count(); // the retargeting rule's "win back" tasks, for the app to carry out
                lead = lost.Journey;
            }

            break;
        }

        var moved = journeys.MoveTo(lead, stage.Key, "sales");
        if (!moved.Succeeded)
        {
            Console.WriteLine($"Rejected: {string.Join("; ", moved.Violations)}");
            break;
        }

        lead = moved.Journey;
    }

    leads.Add(lead);
}

// The report, by source and by weekly cohort, with costs per source, and the forecast.
var definition = funnel.Definition;
var query = FunnelQuery.Default.WithAsOf(start.AddDays(90));
var report = FunnelReport.Compute(definition, leads, query);
var bySource = SegmentBreakdown.Compute(definition, leads, SegmentKey.Attribute("source"), query);
var economics = EconomicsReport.FromBreakdown(bySource, new Dictionary<string, SourceCosts>
{
    ["ads"] = SourceCosts.PerLead(costPerLead: 200m, revenuePerSale: 1000m, marginPerSale: 300m),
    ["seo"] = SourceCosts.Spend(totalSpend: 9000m, revenuePerSale: 1000m, marginPerSale: 300m),
    ["email"] = SourceCosts.PerLead(costPerLead: 15m, revenuePerSale: 1000m, marginPerSale: 300m),
});
var html = new HtmlReportBuilder(report)
    .WithSegments(bySource)
    .WithCohorts(CohortReport.Compute(definition, leads, CohortPeriod.IsoWeek, query))
    .WithEconomics(economics)
    .WithForecast(MarkovForecast.Learn(definition, leads, query))
    .Build();

Directory.CreateDirectory(output);
File.WriteAllText(Path.Combine(output, "customer-journey-report.html"), html);
File.WriteAllText(Path.Combine(output, "customer-journey-funnel.svg"), FunnelChart.RenderSvg(report));
File.WriteAllText(Path.Combine(output, "customer-journey.mmd"), MermaidDiagram.Render(definition));

Console.WriteLine(report);
foreach (var stage in report.Stages)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage.Stage.DisplayName,-14} reached {stage.Reached,4}  from previous {stage.ConversionFromPrevious.Value,7:P1}  lost {stage.Losses.Total,3}"));
}

Console.WriteLine($"Retargeting tasks scheduled by the rules: {tasks}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sources differ in conversion: p = {bySource.CompareOverallConversion().PValue:0.0000}"));
Console.WriteLine($"Wrote {Path.Combine(output, "customer-journey-report.html")} (and the SVG chart and Mermaid diagram beside it)");
await host.StopAsync();
