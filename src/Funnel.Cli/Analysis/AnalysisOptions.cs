using Funnel.Core.Metrics;

namespace Funnel.Cli.Analysis;

/// <summary>What <c>funnel analyze</c> was asked to compute.</summary>
internal sealed class AnalysisOptions
{
    /// <summary>Gets the conversion window, or null for no limit.</summary>
    public TimeSpan? Window { get; init; }

    public AnchorMode Anchor { get; init; } = AnchorMode.First;

    /// <summary>Gets what "reached a stage" means (<c>--reach</c>); only the ordered window funnel is the bulk engine's.</summary>
    public ReachMode Reach { get; init; } = ReachMode.OrderedWindow;

    /// <summary>Gets the per-step windows (one per step; the definition's with the <c>--step-window</c> overrides), or empty when no step is limited.</summary>
    public System.Collections.Immutable.ImmutableArray<TimeSpan?> StepWindows { get; init; } = [];

    /// <summary>Gets how the steps must follow each other (<c>--order</c>); the ordered window funnel only.</summary>
    public StepOrder Order { get; init; } = StepOrder.Ordered;

    /// <summary>Gets the exclusion steps (<c>--exclude</c>), resolved against the definition; empty for none.</summary>
    public System.Collections.Immutable.ImmutableArray<FunnelExclusion> Exclusions { get; init; } = [];

    /// <summary>Gets the stage keys of the optional steps (<c>--optional</c>), in funnel order; empty for none.</summary>
    public System.Collections.Immutable.ImmutableArray<string> OptionalSteps { get; init; } = [];

    /// <summary>Gets which median the reports show (<c>--median</c>).</summary>
    public MedianKind Median { get; init; } = MedianKind.Lower;

    /// <summary>Gets the explicit edges of the time-to-convert histograms (<c>--conversion-bins</c>), or empty for automatic bins.</summary>
    public System.Collections.Immutable.ImmutableArray<TimeSpan> ConversionBins { get; init; } = [];

    /// <summary>Gets the segment column to break down by (<c>--by</c>), or null.</summary>
    public string? By { get; init; }

    public CohortPeriod? Cohort { get; init; }

    /// <summary>Gets the leads a segment needs to be shown and tested on its own (<c>--min-leads</c>); smaller ones are merged into "(other)".</summary>
    public int MinimumLeads { get; init; } = 30;

    public IReadOnlyDictionary<string, SourceCosts>? Costs { get; init; }

    public SourceCosts? DefaultCosts { get; init; }

    /// <summary>Gets a value indicating whether to learn the Markov forecast (for the HTML report).</summary>
    public bool Forecast { get; init; }
}
