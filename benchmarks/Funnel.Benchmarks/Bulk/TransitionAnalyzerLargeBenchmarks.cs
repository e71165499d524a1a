using BenchmarkDotNet.Attributes;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// The bulk benchmarks (<see cref="TransitionAnalyzerBenchmarkBase"/>) at 30M events. A class of its own because
/// LINQ takes over a minute per invocation here; run it when the machine has the time.
/// </summary>
public class TransitionAnalyzerLargeBenchmarks : TransitionAnalyzerBenchmarkBase
{
    /// <inheritdoc/>
    [Params(30_000_000)]
    public override int Events { get; set; }
}
