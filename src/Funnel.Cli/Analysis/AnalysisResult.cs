using Funnel.Cli.Input;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Analysis;

/// <summary>Everything <c>funnel analyze</c> computed: the bulk engine's four outputs and, where it applies, the metrics report.</summary>
internal sealed class AnalysisResult
{
    public required string InputPath { get; init; }

    public required FunnelDefinition Definition { get; init; }

    public required EventLogData Data { get; init; }

    public required AnalysisOptions Options { get; init; }

    /// <summary>Gets the bulk engine's outputs (always computed; anchored at the first entry).</summary>
    public required TransitionReport Bulk { get; init; }

    public double BulkSeconds { get; init; }

    /// <summary>Gets the metrics report (always computed, at any size).</summary>
    public required FunnelReport Report { get; init; }

    /// <summary>Gets the seconds spent on the metrics (report, segments, cohorts, forecast) together.</summary>
    public double ReportSeconds { get; init; }

    /// <summary>Gets the seconds of each computing phase, in the order they ran (for <c>--verbose</c>).</summary>
    public System.Collections.Immutable.ImmutableArray<(string Phase, double Seconds)> Timings { get; init; } = [];

    public SegmentBreakdown? Segments { get; init; }

    public CohortReport? Cohorts { get; init; }

    public EconomicsReport? Economics { get; init; }

    /// <summary>Gets the data-quality checks of the log against the definition (always computed, from the bulk engine's transitions).</summary>
    public required DataQualityReport DataQuality { get; init; }

    /// <summary>Gets the Markov forecast (learned for the HTML report only), or null.</summary>
    public MarkovForecast? Forecast { get; init; }
}
