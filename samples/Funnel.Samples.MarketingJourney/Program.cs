// A marketing customer journey (awareness → advocacy) on the bundled data: channels per stage, conversion by source with intervals and tests, costs per source and which sources work at a loss, weekly cohorts, an HTML report. Run: dotnet run --project samples/Funnel.Samples.MarketingJourney [-- <report.html>]
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Reporting;
using Funnel.Samples.MarketingJourney;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // the same digits on every machine
var journey = FunnelTemplates.CustomerJourney; // the funnel of samples/data (funnel.json is `funnel init customer-journey`)

// 1. The definition: which team owns each stage, its phase, and the channels that work there.
Console.WriteLine($"== {journey.DisplayName}: {string.Join(" → ", journey.Stages.Select(s => s.Key))}, goal '{journey.GoalStage.Key}'");
Console.WriteLine($"   {"stage",-14} {"phase",-10} {"owner",-10} channels");
foreach (var stage in journey.Stages)
{
    var note = stage.Order > journey.GoalStage.Order ? "   (after the goal: retention)" : stage == journey.GoalStage ? "   (the goal: a sale)" : "";
    Console.WriteLine($"   {stage.Key,-14} {stage.Phase,-10} {stage.Owner,-10} {string.Join(", ", stage.Channels)}{note}");
}

Console.WriteLine("   Where each channel works:");
var channels = journey.Stages
    .SelectMany(s => s.Channels.Select(c => (Channel: c, Stage: s.Key.Value)))
    .GroupBy(x => x.Channel, StringComparer.Ordinal)
    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
foreach (var channel in channels)
{
    Console.WriteLine($"     {channel.Key,-16} {string.Join(", ", channel.Select(x => x.Stage))}");
}

// 2. The bundled event log (samples/data/events.csv, 20,000 leads with their traffic source).
var events = BundledData.ReadEvents(journey);
var query = FunnelQuery.Default; // ordered stages, no window; as of the last event in the log
var report = FunnelReport.Compute(journey, events, query);
Console.WriteLine();
Console.WriteLine($"== {events.Length:N0} events of {report.Leads:N0} leads, {events.Min(e => e.At):yyyy-MM-dd} to {events.Max(e => e.At):yyyy-MM-dd}: won {report.Won:N0}, lost {report.Lost:N0}, open {report.Open:N0}");
foreach (var s in report.Stages)
{
    Console.WriteLine($"   {s.Stage.Key,-14} reached {s.Reached,6:N0}   from previous {Text.Percent(s.ConversionFromPrevious.Value),6}   from top {Text.Percent(s.ConversionFromTop?.Value ?? 0),6}");
}

// 3. By source: conversion to the goal with 95% Wilson intervals, and whether the differences are real.
var bySource = SegmentBreakdown.Compute(journey, events, SegmentKey.EventSegmentNamed("source"), query);
Console.WriteLine();
Console.WriteLine("== Conversion to a sale by source (95% Wilson interval)");
PrintSources(bySource);
var all = bySource.CompareOverallConversion();
Console.WriteLine($"   Do the sources convert differently? chi-square {all.Statistic:0.00}, df {all.DegreesOfFreedom}, p = {Text.PValue(all.PValue)} → {(all.IsSignificant() ? "yes" : "no real difference")}");
var paidVsFree = bySource.Compare("ads", "organic");
Console.WriteLine($"   ads vs organic: z = {paidVsFree.Statistic:0.00}, p = {Text.PValue(paidVsFree.PValue)} → {(paidVsFree.IsSignificant() ? "a real difference" : "paid leads convert like free ones; what ads lack is a price that pays")}");

// The same question for the leads of one day (the New Year launch) has too few leads per source to answer.
var launchDay = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var launch = SegmentBreakdown.Compute(journey, events, SegmentKey.EventSegmentNamed("source"), query.EnteredBetween(launchDay, launchDay.AddDays(1)));
Console.WriteLine($"   Leads of the launch day only ({launchDay:yyyy-MM-dd}):");
PrintSources(launch);

// 4. Money: costs per source (samples/data/costs.csv) → spend, CPA, profit, ROMI and the verdict.
var costs = BundledData.ReadCosts();
var economics = EconomicsReport.FromBreakdown(bySource, costs);
var perSale = costs.Values.Select(c => $"revenue {c.RevenuePerSale:N0} and margin {c.MarginPerSale:N0}").Distinct();
Console.WriteLine();
Console.WriteLine($"== Economics by source ({string.Join("; ", perSale)} per sale)");
Console.WriteLine($"   {"source",-10} {"leads",6} {"sales",5} {"spend",10} {"per lead",8} {"CPA",8} {"margin",10} {"profit",11} {"ROMI",7}  verdict");
foreach (var s in economics.Sources.Append(economics.Overall))
{
    var romi = s.Romi is { } r ? Text.Percent((double)r) : "-";
    Console.WriteLine($"   {s.Source,-10} {s.Leads,6:N0} {s.Sales,5:N0} {Text.Money(s.Spend),10} {Text.Money(s.CostPerLead),8} {Text.Money(s.CostPerAcquisition),8} {Text.Money(s.Margin),10} {Text.Money(s.Profit),11} {romi,7}  {s.Verdict}");
}

Console.WriteLine("   Verdict:");
foreach (var s in economics.Sources)
{
    Console.WriteLine($"     {Verdicts.Describe(s)}");
}

// 5. Cohorts by ISO week of entry: is the conversion drifting?
var cohorts = CohortReport.Compute(journey, events, CohortPeriod.IsoWeek, query);
Console.WriteLine();
Console.WriteLine("== Weekly cohorts (by the week of a lead's first event)");
foreach (var c in cohorts.Cohorts)
{
    var bar = new string('#', (int)Math.Round(c.Conversion.Value * 200));
    Console.WriteLine($"   {c.Label}  {c.Report.Leads,5:N0} leads  {Text.Rate(c.Conversion),-22}{(c.Conversion.IsSmallSample ? "not enough data " : "")}{bar}");
}

var trend = cohorts.TrendPerPeriod ?? 0;
Console.WriteLine($"   Trend: {trend * 100:+0.00;-0.00;0.00} percentage points per week; cohorts alike? p = {Text.PValue(cohorts.Homogeneity.PValue)} → {(cohorts.Homogeneity.IsSignificant() ? "no, the weeks differ" : "no significant difference between the weeks")}");

// 6. The same report as one self-contained HTML page.
var output = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "funnel-marketing-journey.html"));
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, new HtmlReportBuilder(report)
    .WithTitle("Customer journey: sources and their economics")
    .WithSegments(bySource)
    .WithCohorts(cohorts)
    .WithEconomics(economics)
    .Build());
Console.WriteLine();
Console.WriteLine($"HTML report: {output}");

static void PrintSources(SegmentBreakdown breakdown)
{
    foreach (var segment in breakdown.Segments)
    {
        var conversion = segment.Report.OverallConversion;
        var flag = conversion.IsSmallSample ? $"  not enough data (under {breakdown.Total.Query.MinimumSample} leads)" : "";
        Console.WriteLine($"     {segment.Name,-10} {segment.Report.Leads,6:N0} leads {segment.Report.Won,5:N0} sales  {Text.Rate(conversion),-22}{flag}".TrimEnd());
    }
}
