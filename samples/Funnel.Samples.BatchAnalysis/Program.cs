// Batch analysis: a generated 10-million-event log in memory, analysed by the bulk engine on every core.
// Run: dotnet run -c Release --project samples/Funnel.Samples.BatchAnalysis [-- <entities>]
// (3,000,000 entities by default, about 10.1M events; pass a smaller number for a quick try.)
using System.Diagnostics;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

var entities = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000_000;
var funnel = FunnelTemplates.CustomerJourney; // 6 stages, the shape of the generated log; ordinals are stage orders
var window = TimeSpan.FromDays(30);

// 1. The deterministic benchmark generator (splitmix64, seed 42): time-ordered, entities interleaved.
var clock = Stopwatch.StartNew();
var log = TransitionLogGenerator.Generate(entities);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Generated {log.Count:N0} events of {log.EntityIdLimit:N0} entities in {clock.Elapsed.TotalSeconds:0.00} s ({log.SizeInBytes / 1e6:N0} MB of columns)."));

// 2. The bulk engine: all four canonical outputs in one parallel pass. The first run includes JIT warm-up,
//    so the best of three runs is reported.
var analyzer = new TransitionAnalyzer(funnel, window);
TransitionReport report = analyzer.Analyze(log);
var best = double.MaxValue;
for (var run = 0; run < 3; run++)
{
    clock.Restart();
    report = analyzer.Analyze(log);
    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Analysed on {analyzer.DegreeOfParallelism} cores in {best * 1000:N0} ms: {report.EventCount / best / 1e6:N1} million events per second."));
Console.WriteLine();

// 3. The four outputs, briefly.
Console.WriteLine($"Ordered window funnel ({window.TotalDays:0} days from the first entry into '{funnel.Stages[0].Key}'):");
for (var k = 0; k < funnel.Stages.Length; k++)
{
    var share = report.Reached[0] == 0 ? 0 : (double)report.Reached[k] / report.Reached[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {funnel.Stages[k].Key,-14} {report.Reached[k],12:N0}  {share,7:P1}"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Transitions: {report.Transitions.Total:N0} consecutive moves, {Column(report.Transitions, report.LostColumn):N0} of them into 'lost'."));
Console.WriteLine("Time in stage (median / mean, hours):");
foreach (var t in report.TimeInStage.Where(t => t.Count > 0))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {funnel.Stages[t.Stage].Key,-14} {t.MedianSeconds / 3600.0,8:N1} / {t.MeanSeconds / 3600.0,8:N1}  ({t.Count:N0} stays)"));
}

Console.WriteLine("Losses by reason:");
for (var r = 0; r < report.LossReasonCount; r++)
{
    // Every loss: at a stage, after a loss, or as an entity's first event (stage unknown).
    var count = Column(report.Losses, r) + report.LossesAfterLoss[r] + report.LossesAtUnknownStage[r];
    if (count > 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {funnel.LossReasons[r].Key,-20} {count,12:N0}"));
    }
}

static long Column(CountMatrix matrix, int column)
{
    long total = 0;
    for (var row = 0; row < matrix.Rows; row++)
    {
        total += matrix[row, column];
    }

    return total;
}
