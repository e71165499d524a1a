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

    public static AnalysisResult Run(string path, FunnelDefinition definition, EventLogData data, AnalysisOptions options)
    {
        var clock = Stopwatch.StartNew();
        var windowSeconds = options.Window is { } w ? (long)Math.Floor(w.TotalSeconds) : UnboundedWindowSeconds;

        // The bulk engine judges outcomes by the last event; its shape is built from the ordinals so that it also runs
        // under --outcome reached, where the outcomes shown come from the metrics report (issue 23).
        var shape = new FunnelShape(definition.Stages.Length, definition.GoalStage.Order, definition.LossReasons.Length);
        var analyzer = new TransitionAnalyzer(shape, TimeSpan.FromSeconds(windowSeconds))
        {
            StepWindows = options.StepWindows,
        };
        var bulk = analyzer.Analyze(data.Log);
        var bulkSeconds = clock.Elapsed.TotalSeconds;
        var quality = DataQualityReport.Compute(definition, bulk.Transitions, data.Log);

        var timings = ImmutableArray.CreateBuilder<(string Phase, double Seconds)>();
        timings.Add(("bulk engine", bulkSeconds));
        clock.Restart();
        var (log, keys, segmentKeys) = (data.Log, data.EntityKeys, data.SegmentNames);
        var query = options.Reach switch
        {
            ReachMode.AnyOrder => FunnelQuery.Default.AnyOrder(),
            ReachMode.PassThrough => FunnelQuery.Default.PassThrough(),
            _ => FunnelQuery.Default.Ordered(options.Window, options.Anchor)
                .WithStepWindows(options.StepWindows.IsEmpty ? Enumerable.Repeat<TimeSpan?>(null, definition.Stages.Length - 1) : options.StepWindows),
        };
        var report = TransitionLogMetrics.ComputeReport(definition, log, keys, segmentKeys, query);
        var reportSeconds = Lap(clock, timings, "metrics report");

        SegmentBreakdown? segments = null;
        EconomicsReport? economics = null;
        if (options.By is not null || options.Costs is not null)
        {
            var segmentKey = SegmentKey.EventSegmentNamed(options.By ?? data.SegmentColumn ?? SegmentKey.EventSegment.Name);
            segments = TransitionLogMetrics.ComputeSegments(definition, log, keys, segmentKeys, segmentKey, query, options.MinimumLeads);
            reportSeconds += Lap(clock, timings, "segments");
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
                reportSeconds += Lap(clock, timings, "economics");
            }
        }

        CohortReport? cohorts = null;
        if (options.Cohort is { } period)
        {
            cohorts = TransitionLogMetrics.ComputeCohorts(definition, log, keys, segmentKeys, period, query);
            reportSeconds += Lap(clock, timings, "cohorts");
        }

        MarkovForecast? forecast = null;
        if (options.Forecast)
        {
            forecast = TransitionLogMetrics.LearnForecast(definition, log, keys, segmentKeys, query);
            reportSeconds += Lap(clock, timings, "forecast");
        }

        return new AnalysisResult
        {
            InputPath = path,
            Definition = definition,
            Data = data,
            Options = options,
            Bulk = bulk,
            BulkSeconds = bulkSeconds,
            Report = report,
            ReportSeconds = reportSeconds,
            Timings = timings.ToImmutable(),
            Segments = segments,
            Cohorts = cohorts,
            Economics = economics,
            Forecast = forecast,
            DataQuality = quality,
        };
    }

    /// <summary>Records the time since the clock's last restart as one phase, restarts it and returns the seconds.</summary>
    private static double Lap(Stopwatch clock, ImmutableArray<(string Phase, double Seconds)>.Builder timings, string phase)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        timings.Add((phase, seconds));
        clock.Restart();
        return seconds;
    }
}
