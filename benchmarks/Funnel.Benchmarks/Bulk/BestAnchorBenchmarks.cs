using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// <see cref="AnchorMode.Best"/> on leads that enter the first step again and again (docs/bulk.md rule 8 and "Cost of the
/// modes"): the same 200,000 events cut into leads of 1,000 or 10,000 events, about a third of them entries into stage 0,
/// ties in most seconds, no lead reaching the last step (so no search stops early) and a 30-day window that holds the
/// whole lead. A cost linear per lead takes the same time at both sizes; a walk per anchor (how ordered with exclusions
/// and per-step windows, the last row, was evaluated before its sliding-window minima) takes about ten times as long at
/// 10,000.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BestAnchorBenchmarks
{
    private const int TotalEvents = 200_000;
    private const int Stages = 5;

    private TransitionLog _log = TransitionLog.Empty;
    private TransitionAnalyzer _first = null!;
    private TransitionAnalyzer _best = null!;
    private TransitionAnalyzer _bestStrict = null!;
    private TransitionAnalyzer _bestUnordered = null!;
    private TransitionAnalyzer _bestExclusions = null!;
    private TransitionAnalyzer _bestExclusionsStepWindows = null!;

    /// <summary>Gets or sets the number of events per lead.</summary>
    [Params(1_000, 10_000)]
    public int EventsPerLead { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = Log(EventsPerLead);
        var shape = new FunnelShape(Stages, Stages - 1, 2);
        var window = TimeSpan.FromSeconds(GeneratedLog.Window);
        _first = new TransitionAnalyzer(shape, window) { ConversionTimes = true };
        _best = new TransitionAnalyzer(shape, window) { Anchor = AnchorMode.Best, ConversionTimes = true };
        _bestStrict = new TransitionAnalyzer(shape, window) { Anchor = AnchorMode.Best, Order = StepOrder.Strict };
        _bestUnordered = new TransitionAnalyzer(shape, window) { Anchor = AnchorMode.Best, Order = StepOrder.Unordered };
        _bestExclusions = new TransitionAnalyzer(shape, window) { Anchor = AnchorMode.Best, Exclusions = [FunnelExclusion.Loss(1, 3)] };
        _bestExclusionsStepWindows = new TransitionAnalyzer(shape, window)
        {
            Anchor = AnchorMode.Best,
            Exclusions = [FunnelExclusion.Loss(1, 3)],
            StepWindows = [null, TimeSpan.FromDays(1), null, null],
        };
        Console.WriteLine($"// log: {_log.Count} events, {_log.EntityIdLimit} leads of {EventsPerLead} events, cores: {Environment.ProcessorCount}");
    }

    [Benchmark(Baseline = true)]
    public long First() => Checksum(_first.Analyze(_log));

    [Benchmark]
    public long BestOrdered() => Checksum(_best.Analyze(_log));

    [Benchmark]
    public long BestStrict() => Checksum(_bestStrict.Analyze(_log));

    [Benchmark]
    public long BestUnordered() => Checksum(_bestUnordered.Analyze(_log));

    [Benchmark]
    public long BestExclusions() => Checksum(_bestExclusions.Analyze(_log));

    [Benchmark]
    public long BestExclusionsAndStepWindows() => Checksum(_bestExclusionsStepWindows.Analyze(_log));

    /// <summary>Leads of <paramref name="eventsPerLead"/> events: stage 0 a third of the time, stages 1–3 otherwise, a loss in twenty; 0–2 s apart.</summary>
    private static TransitionLog Log(int eventsPerLead)
    {
        var random = new Random(22);
        var (entities, stages, times, reasons) = (new int[TotalEvents], new short[TotalEvents], new long[TotalEvents], new short[TotalEvents]);
        for (var i = 0; i < TotalEvents; i++)
        {
            var lead = i / eventsPerLead;
            var first = i % eventsPerLead == 0;
            entities[i] = lead;
            times[i] = first ? 1_700_000_000L : times[i - 1] + random.Next(3);
            var roll = random.Next(20);
            (stages[i], reasons[i]) = first || roll < 7 ? ((short)0, TransitionLog.NoLossReason)
                : roll == 19 ? ((short)0, (short)random.Next(2))
                : ((short)random.Next(1, Stages - 1), TransitionLog.NoLossReason);
        }

        return TransitionLog.Create(entities, stages, times, reasons);
    }

    private static long Checksum(TransitionReport report) => report.Reached.Sum() + report.Excluded + report.Transitions.Total;
}
