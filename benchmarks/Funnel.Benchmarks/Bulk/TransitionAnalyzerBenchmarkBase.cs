using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The four bulk outputs (window funnel, transition matrix, time in stage with exact medians, losses, outcomes) over a
/// generated, time-ordered log already in memory: naive LINQ (baseline), the engine on one core and on every core,
/// and a raw scan that reads every column once (the memory-bandwidth floor). The sizes are set by the derived classes.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public abstract class TransitionAnalyzerBenchmarkBase
{
    private TransitionLog _log = TransitionLog.Empty;
    private TransitionAnalyzer _oneCore = null!;
    private TransitionAnalyzer _allCores = null!;

    /// <summary>Gets or sets the number of events (the first N events of a generated log).</summary>
    public abstract int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = GeneratedLog.FirstEvents(Events);
        _oneCore = GeneratedLog.Analyzer(1);
        _allCores = GeneratedLog.Analyzer();
        Console.WriteLine($"// log: {_log.Count} events, {_log.EntityIdLimit} entity ids, {_log.SizeInBytes / 1e6:F0} MB, time ordered: {_log.IsTimeOrdered}, cores: {Environment.ProcessorCount}");
    }

    [Benchmark(Baseline = true)]
    public long NaiveLinq() => NaiveLinqAnalyzer.Analyze(_log, TransitionLogGenerator.StageCount, GeneratedLog.Goal, TransitionLogGenerator.LossReasonCount, GeneratedLog.Window);

    [Benchmark]
    public long EngineOneCore() => Checksum(_oneCore.Analyze(_log));

    [Benchmark]
    public long EngineAllCores() => Checksum(_allCores.Analyze(_log));

    /// <summary>Reads the four analysed columns once on one core: no grouping, no state.</summary>
    [Benchmark]
    public long RawScanOneCore() => RawScan.Scan(_log, 0, _log.Count);

    /// <summary>Reads the four analysed columns once on every core.</summary>
    [Benchmark]
    public long RawScanAllCores() => RawScan.ScanParallel(_log);

    private static long Checksum(TransitionReport report) =>
        report.Reached[^1] + report.Transitions.Total + report.Losses.Total + report.LossesAfterLoss.Sum() + report.LossesAtUnknownStage.Sum()
        + (long)report.TimeInStage.Append(report.TimeAfterLoss).Aggregate(Int128.Zero, (sum, t) => sum + t.MedianSeconds + t.TotalSeconds) + report.Won + report.Lost;
}
