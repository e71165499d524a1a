using BenchmarkDotNet.Attributes;

namespace Funnel.Benchmarks.Bulk;

/// <summary>The bulk benchmarks (<see cref="TransitionAnalyzerBenchmarkBase"/>) at 1M and 10M events.</summary>
public class TransitionAnalyzerBenchmarks : TransitionAnalyzerBenchmarkBase
{
    /// <inheritdoc/>
    [Params(1_000_000, 10_000_000)]
    public override int Events { get; set; }
}
