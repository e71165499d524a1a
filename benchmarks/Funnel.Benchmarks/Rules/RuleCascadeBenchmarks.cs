using System.Globalization;
using BenchmarkDotNet.Attributes;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Benchmarks.Rules;

/// <summary>
/// Long cascades and long journeys (issue 18, defect 10): <see cref="Steps"/> moves made one by one with
/// <see cref="Journey.MoveTo"/> and no rules (the baseline, the least a cascade can cost), and the same number of
/// moves made by one <see cref="RuleSet.Run(Journey, FunnelSignal)"/> whose automation bounces the lead between two
/// stages with a distinct note each time (so that no step is a cycle). Both must grow linearly with
/// <see cref="Steps"/>: before the fix, every move copied the history and every cascade step compared its command with
/// every earlier one by text, and 8,000 steps took 16 times as long as 2,000.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RuleCascadeBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private Journey _start = null!;
    private RuleSet _bouncing = null!;

    /// <summary>Gets or sets the number of moves.</summary>
    [Params(2_000, 8_000, 32_000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var definition = FunnelTemplates.B2BPipeline.ToBuilder().WithTransitionOptions(TransitionOptions.FreeForm).Build();
        _start = Journey.Start(definition, "deal-1", T0, "anna");
        var steps = Steps;
        _bouncing = new RuleSetBuilder()
            .AddAutomation("bounce", SignalKinds.External | SignalKinds.StageEntered, a =>
                a.Journey.Version < steps
                    ? [a.Move(a.Journey.CurrentStage.Key == "request" ? "proposal-sent" : "request", a.Journey.Version.ToString(CultureInfo.InvariantCulture))]
                    : [])
            .WithMaxCascadeDepth(steps + 1)
            .Build();
    }

    [Benchmark(Baseline = true, Description = "Journey.MoveTo x Steps (no rules)")]
    public Journey MovesWithoutRules()
    {
        var journey = _start;
        for (var i = 0; i < Steps; i++)
        {
            journey = journey.MoveTo(i % 2 == 0 ? "proposal-sent" : "request", T0, "rule:bounce", i.ToString(CultureInfo.InvariantCulture)).Journey;
        }

        return journey;
    }

    [Benchmark(Description = "RuleSet.Run, cascade of Steps moves")]
    public Journey Cascade() => _bouncing.Run(_start, FunnelSignal.External("go", T0)).Journey;
}
