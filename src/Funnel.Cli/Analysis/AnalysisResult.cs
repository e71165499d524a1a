using Funnel.Cli.Input;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Analysis;

/// <summary>Everything <c>funnel analyze</c> computed: the bulk engine's four outputs, the metrics report, and what was asked for beside them.</summary>
internal sealed class AnalysisResult
{
    /// <summary>The name of the bulk engine's phase in <see cref="Timings"/>.</summary>
    public const string BulkPhase = "bulk engine";

    public required string InputPath { get; init; }

    public required FunnelDefinition Definition { get; init; }

    public required EventLogData Data { get; init; }

    public required AnalysisOptions Options { get; init; }

    /// <summary>Gets the bulk engine's outputs (always computed; anchored at the first entry).</summary>
    public required TransitionReport Bulk { get; init; }

    /// <summary>Gets the metrics report (always computed, at any size).</summary>
    public required FunnelReport Report { get; init; }

    /// <summary>Gets the seconds of each computing phase, in the order they ran (for <c>--verbose</c>); the first is <see cref="BulkPhase"/>.</summary>
    public System.Collections.Immutable.ImmutableArray<(string Phase, double Seconds)> Timings { get; init; } = [];

    /// <summary>Gets the seconds of the bulk engine's scan.</summary>
    public double BulkSeconds => Timings.Where(t => t.Phase == BulkPhase).Sum(t => t.Seconds);

    /// <summary>Gets the seconds of every other phase together (data quality, the metrics report, segments, cohorts, forecast).</summary>
    public double ReportSeconds => Timings.Where(t => t.Phase != BulkPhase).Sum(t => t.Seconds);

    public SegmentBreakdown? Segments { get; init; }

    public CohortReport? Cohorts { get; init; }

    public EconomicsReport? Economics { get; init; }

    /// <summary>Gets the data-quality checks of the log against the definition (always computed, from the bulk engine's transitions).</summary>
    public required DataQualityReport DataQuality { get; init; }

    /// <summary>Gets the Markov forecast (learned for the HTML report only), or null.</summary>
    public MarkovForecast? Forecast { get; init; }
}
