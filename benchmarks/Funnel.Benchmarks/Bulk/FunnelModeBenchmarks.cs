using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The funnel modes of docs/bulk.md (rules 8–13) beside the default ordered funnel, every core, on the generated log
/// at 10M events: the default runs only the kernel; every other mode adds the per-lead pass (a sort of each bucket's
/// events by lead and time, then one walk per attempt).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class FunnelModeBenchmarks
{
    private TransitionLog _log = TransitionLog.Empty;
    private TransitionAnalyzer _ordered = null!;
    private TransitionAnalyzer _strict = null!;
    private TransitionAnalyzer _unordered = null!;
    private TransitionAnalyzer _exclusions = null!;
    private TransitionAnalyzer _best = null!;
    private TransitionAnalyzer _conversionTimes = null!;

    /// <summary>Gets or sets the number of events (the first N events of the generated log).</summary>
    [Params(10_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = GeneratedLog.FirstEvents(Events);
        var shape = new FunnelShape(TransitionLogGenerator.StageCount, GeneratedLog.Goal, TransitionLogGenerator.LossReasonCount);
        var window = TimeSpan.FromSeconds(GeneratedLog.Window);
        _ordered = new TransitionAnalyzer(shape, window);
        _strict = new TransitionAnalyzer(shape, window) { Order = StepOrder.Strict };
        _unordered = new TransitionAnalyzer(shape, window) { Order = StepOrder.Unordered };

        // A loss of any reason between the second and the fourth step drops the lead.
        _exclusions = new TransitionAnalyzer(shape, window) { Exclusions = [FunnelExclusion.Loss(1, 3)] };
        _best = new TransitionAnalyzer(shape, window) { Anchor = AnchorMode.Best };
        _conversionTimes = new TransitionAnalyzer(shape, window) { ConversionTimes = true };
        Console.WriteLine($"// log: {_log.Count} events, {_log.EntityIdLimit} entity ids, cores: {Environment.ProcessorCount}");
    }

    [Benchmark(Baseline = true)]
    public long Ordered() => Checksum(_ordered.Analyze(_log));

    [Benchmark]
    public long Strict() => Checksum(_strict.Analyze(_log));

    [Benchmark]
    public long Unordered() => Checksum(_unordered.Analyze(_log));

    [Benchmark]
    public long Exclusions() => Checksum(_exclusions.Analyze(_log));

    [Benchmark]
    public long BestAnchor() => Checksum(_best.Analyze(_log));

    [Benchmark]
    public long TimeToConvert() => Checksum(_conversionTimes.Analyze(_log));

    private static long Checksum(TransitionReport report) => report.Reached.Sum() + report.Excluded + report.Transitions.Total;
}
