using BenchmarkDotNet.Attributes;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The engine (all cores) on the same events in three orders: time ordered (baseline, the fast path), grouped by
/// entity as a CRM export sorted by deal is (each entity's events in time order), and shuffled (the worst case). The
/// last two are not time ordered, so the engine sorts each partition bucket by entity, then time.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class UnorderedLogBenchmarks
{
    private TransitionLog _ordered = TransitionLog.Empty;
    private TransitionLog _byEntity = TransitionLog.Empty;
    private TransitionLog _shuffled = TransitionLog.Empty;
    private TransitionAnalyzer _analyzer = null!;

    /// <summary>Gets or sets the number of events.</summary>
    [Params(1_000_000, 10_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ordered = GeneratedLog.FirstEvents(Events);
        var ids = _ordered.EntityIds.ToArray();
        int[] byEntity = [.. Enumerable.Range(0, _ordered.Count).OrderBy(i => ids[i])]; // OrderBy is stable: time order kept
        var shuffled = Enumerable.Range(0, _ordered.Count).ToArray();
        new Random(42).Shuffle(shuffled);
        _byEntity = Reorder(_ordered, byEntity);
        _shuffled = Reorder(_ordered, shuffled);
        _analyzer = GeneratedLog.Analyzer();
        if (!_analyzer.Analyze(_byEntity).Equals(_analyzer.Analyze(_ordered)))
        {
            throw new InvalidOperationException("The engine gives other numbers for the log grouped by entity.");
        }

        Console.WriteLine($"// {_ordered.Count} events; time ordered: {_ordered.IsTimeOrdered}, {_byEntity.IsTimeOrdered}, {_shuffled.IsTimeOrdered}");
    }

    [Benchmark(Baseline = true)]
    public long TimeOrdered() => _analyzer.Analyze(_ordered).Transitions.Total;

    [Benchmark]
    public long GroupedByEntity() => _analyzer.Analyze(_byEntity).Transitions.Total;

    [Benchmark]
    public long Shuffled() => _analyzer.Analyze(_shuffled).Transitions.Total;

    private static TransitionLog Reorder(TransitionLog log, int[] order) =>
        TransitionLog.Create(
            order.Select(i => log.EntityIds[i]).ToArray(),
            order.Select(i => log.Stages[i]).ToArray(),
            order.Select(i => log.Timestamps[i]).ToArray(),
            order.Select(i => log.LossReasons[i]).ToArray());
}
