using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The 30M-event size, as <see cref="TransitionAnalyzerBenchmarks"/>: the naive LINQ version (baseline), the engine
/// on one core and on every core, and the raw scan. A class of its own because LINQ takes about a minute per
/// invocation here; run it when the machine has the time.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TransitionAnalyzerLargeBenchmarks
{
    private const long Window = 30L * 86_400;

    /// <summary>The goal of the generated funnel: its last stage.</summary>
    private const int Goal = TransitionLogGenerator.StageCount - 1;

    private TransitionLog _log = TransitionLog.Empty;
    private TransitionAnalyzer _oneCore = null!;
    private TransitionAnalyzer _allCores = null!;

    /// <summary>Gets or sets the number of events (the first N events of a generated log).</summary>
    [Params(30_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generated = TransitionLogGenerator.Generate((int)(Events / 3.2));
        _log = generated.Count > Events ? generated.Slice(0, Events) : generated;
        _oneCore = new TransitionAnalyzer(TransitionLogGenerator.StageCount, Goal, TransitionLogGenerator.LossReasonCount, Window, 1);
        _allCores = new TransitionAnalyzer(TransitionLogGenerator.StageCount, Goal, TransitionLogGenerator.LossReasonCount, Window);
        Console.WriteLine($"// log: {_log.Count} events, {_log.EntityIdLimit} entity ids, {_log.SizeInBytes / 1e6:F0} MB, time ordered: {_log.IsTimeOrdered}, cores: {Environment.ProcessorCount}");
    }

    [Benchmark(Baseline = true)]
    public long NaiveLinq() => NaiveLinqAnalyzer.Analyze(_log, TransitionLogGenerator.StageCount, Goal, TransitionLogGenerator.LossReasonCount, Window);

    [Benchmark]
    public long RawScanAllCores() => RawScan.ScanParallel(_log);

    [Benchmark]
    public long RawScanOneCore() => RawScan.Scan(_log, 0, _log.Count);

    [Benchmark]
    public long EngineOneCore() => _oneCore.Analyze(_log).Transitions.Total;

    [Benchmark]
    public long EngineAllCores() => _allCores.Analyze(_log).Transitions.Total;
}
