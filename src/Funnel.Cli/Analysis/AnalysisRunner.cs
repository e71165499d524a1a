using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Funnel.Cli.Input;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Analysis;

/// <summary>
/// Runs <c>funnel analyze</c>: the bulk engine's four canonical outputs (one branch-free scan) and the full metrics
/// report with its segments, cohorts and forecast, computed straight from the log at any size by
/// <see cref="TransitionLogMetrics"/> (the library's property tests prove both agree on every number they share).
/// </summary>
internal static class AnalysisRunner
{
    /// <summary>The window used for "no limit": the whole timestamp range.</summary>
    public const long UnboundedWindowSeconds = TransitionLog.MaxTimestamp - TransitionLog.MinTimestamp;

    /// <summary>
    /// From this many events on, the memory of each phase is given back to the system before the next phase starts
    /// (<see cref="ReleaseMemory"/>): about 3 million leads of the generated log.
    /// </summary>
    internal const int ReleaseMemoryFromEvents = 1 << 23;

    public static AnalysisResult Run(string path, FunnelDefinition definition, EventLogData data, AnalysisOptions options)
    {
        ReleaseMemory(data.Log);
        var clock = Stopwatch.StartNew();
        var windowSeconds = options.Window is { } w ? (long)Math.Floor(w.TotalSeconds) : UnboundedWindowSeconds;

        // The bulk engine judges outcomes by the last event; its shape is built from the ordinals so that it also runs
        // under --outcome reached, where the outcomes shown come from the metrics report (issue 23).
        var shape = new FunnelShape(definition.Stages.Length, definition.GoalStage.Order, definition.LossReasons.Length);
        // The transitions document answers the report's funnel question: the same anchor, order, optional steps and
        // exclusions (by ordinal, as the shape has no keys), which it names beside its numbers. Other --reach modes
        // are the metrics report's only; the bulk engine then keeps its defaults.
        var ordered = options.Reach == ReachMode.OrderedWindow;
        var analyzer = new TransitionAnalyzer(shape, TimeSpan.FromSeconds(windowSeconds))
        {
            StepWindows = options.StepWindows,
            Median = options.Median,
            Anchor = ordered ? options.Anchor : AnchorMode.First,
            Order = ordered ? options.Order : StepOrder.Ordered,
            OptionalSteps = ordered ? [.. options.OptionalSteps.Select(key => definition.GetStage(new StageKey(key)).Order)] : [],
            Exclusions = ordered ? [.. options.Exclusions.Select(x => ByOrdinal(definition, x))] : [],
        };
        var timings = ImmutableArray.CreateBuilder<(string Phase, double Seconds)>();
        var bulk = analyzer.Analyze(data.Log);
        Lap(clock, timings, AnalysisResult.BulkPhase, data.Log);
        var quality = DataQualityReport.Compute(definition, bulk.Transitions, data.Log);
        Lap(clock, timings, "data quality", data.Log);
        var (log, keys, segmentKeys) = (data.Log, data.EntityKeys, data.SegmentNames);
        var query = options.Reach switch
        {
            ReachMode.AnyOrder => FunnelQuery.Default.AnyOrder(),
            ReachMode.PassThrough => FunnelQuery.Default.PassThrough(),
            // An unordered funnel has no step windows at all (the command refused any): the query refuses even a list of "none".
            _ when options.Order == StepOrder.Unordered => FunnelQuery.Default.Ordered(options.Window, options.Anchor).WithOrder(StepOrder.Unordered),
            _ => FunnelQuery.Default.Ordered(options.Window, options.Anchor)
                .WithStepWindows(options.StepWindows.IsEmpty ? Enumerable.Repeat<TimeSpan?>(null, definition.Stages.Length - 1) : options.StepWindows)
                .WithOrder(options.Order)
                .WithOptionalSteps(options.OptionalSteps)
                .WithExclusions(options.Exclusions),
        };
        query = query.WithMedian(options.Median)
            .WithConversionTimeBins(options.ConversionBins.IsEmpty ? ConversionTimeBins.Automatic : ConversionTimeBins.Edges(options.ConversionBins));

        // A breakdown's total is the report under the same query: with segments, one pass gives both.
        FunnelReport report;
        SegmentBreakdown? segments = null;
        EconomicsReport? economics = null;
        if (options.By is null && options.Costs is null)
        {
            report = TransitionLogMetrics.ComputeReport(definition, log, keys, segmentKeys, query);
            Lap(clock, timings, "metrics report", data.Log);
        }
        else
        {
            var segmentKey = SegmentKey.EventSegmentNamed(options.By ?? data.SegmentColumn ?? SegmentKey.EventSegment.Name);
            segments = TransitionLogMetrics.ComputeSegments(definition, log, keys, segmentKeys, segmentKey, query, options.MinimumLeads);
            report = segments.Total;
            Lap(clock, timings, "metrics report and segments", data.Log);
            if (options.Costs is not null)
            {
                // Costs are per source: the economics keep every source, also those merged into "(other)" for the tests.
                var sources = options.MinimumLeads == 0 ? segments : TransitionLogMetrics.ComputeSegments(definition, log, keys, segmentKeys, segmentKey, query);
                var missing = sources.Segments.Select(s => s.Name).Where(n => !options.Costs.ContainsKey(n)).ToList();
                if (missing.Count > 0 && options.DefaultCosts is null)
                {
                    throw new CliException(
                        $"the costs file has no row for the source(s) {string.Join(", ", missing.Select(m => "'" + m + "'"))}; add them, or a row with source '*' for every other source.");
                }

                economics = EconomicsReport.FromBreakdown(sources, options.Costs, options.DefaultCosts);
                Lap(clock, timings, "economics", data.Log);
            }
        }

        CohortReport? cohorts = null;
        if (options.Cohort is { } period)
        {
            cohorts = TransitionLogMetrics.ComputeCohorts(definition, log, keys, segmentKeys, period, query);
            Lap(clock, timings, "cohorts", data.Log);
        }

        MarkovForecast? forecast = null;
        if (options.Forecast)
        {
            forecast = TransitionLogMetrics.LearnForecast(definition, log, keys, segmentKeys, query);
            Lap(clock, timings, "forecast", data.Log);
        }

        return new AnalysisResult
        {
            InputPath = path,
            Definition = definition,
            Data = data,
            Options = options,
            Bulk = bulk,
            Report = report,
            Timings = timings.ToImmutable(),
            Segments = segments,
            Cohorts = cohorts,
            Economics = economics,
            Forecast = forecast,
            DataQuality = quality,
        };
    }

    /// <summary>Records the time since the clock's last restart as one phase and restarts it, after giving the phase's memory back.</summary>
    private static void Lap(Stopwatch clock, ImmutableArray<(string Phase, double Seconds)>.Builder timings, string phase, TransitionLog log)
    {
        ReleaseMemory(log);
        timings.Add((phase, clock.Elapsed.TotalSeconds));
        clock.Restart();
    }

    /// <summary>
    /// For a big log, collects and compacts the whole heap and gives its free memory back to the system: each phase
    /// (the read, the bulk engine, each metrics report) allocates hundreds of megabytes that die with it (chunk key
    /// tables, the engine's partitioned records and durations, the grouping by lead and the duration samples), and the
    /// collector keeps such memory mapped for reuse, while the next phase's large arrays do not fit into the holes. So
    /// the peak would be the log plus what several phases left behind, not the log plus the largest phase. A blocking
    /// full collection costs a fraction of a second beside phases of seconds; small logs skip it.
    /// </summary>
    private static void ReleaseMemory(TransitionLog log)
    {
        if (log.Count >= ReleaseMemoryFromEvents)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>An exclusion of the definition's keys (checked when the command read it) restated with ordinals as text, for an analyzer built from the funnel's shape.</summary>
    private static FunnelExclusion ByOrdinal(FunnelDefinition definition, FunnelExclusion exclusion)
    {
        if (exclusion.StageKey is { } stage)
        {
            return FunnelExclusion.Stage(definition.GetStage(new StageKey(stage)).Order.ToString(CultureInfo.InvariantCulture), exclusion.FromStep, exclusion.ToStep);
        }

        var reason = exclusion.LossReasonKey is { } key ? definition.LossReasons.IndexOf(definition.LossReasons.Single(r => r.Key.Value == key)) : -1;
        return FunnelExclusion.Loss(exclusion.FromStep, exclusion.ToStep, reason < 0 ? null : reason.ToString(CultureInfo.InvariantCulture));
    }
}
