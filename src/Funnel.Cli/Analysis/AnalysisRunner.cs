using System.Diagnostics;
using System.Globalization;
using Funnel.Cli.Input;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Cli.Analysis;

/// <summary>
/// Runs <c>funnel analyze</c>: the bulk engine always (the four canonical outputs), the metrics report when the log is
/// at most <see cref="AnalysisOptions.ReportLimit"/> events, and — when both ran with the canonical anchor — checks that
/// they agree on every number they share.
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

        if (data.Log.Count > options.ReportLimit)
        {
            var skipped = string.Create(
                CultureInfo.InvariantCulture,
                $"the log has {data.Log.Count:N0} events, more than the report limit of {options.ReportLimit:N0} (--report-limit)");
            if (options.NeedsReport)
            {
                throw new CliException(
                    $"--anchor latest/best, --by, --cohort, --costs, --outcome reached and --format html/svg need the full metrics report, but {skipped}. Raise --report-limit (the report takes about 150 bytes of memory per event).");
            }

            return new AnalysisResult
            {
                InputPath = path, Definition = definition, Data = data, Options = options, Bulk = bulk, BulkSeconds = bulkSeconds, ReportSkipped = skipped,
            };
        }

        clock.Restart();
        var events = data.Log.ToEvents(definition, data.EntityKeys, data.SegmentNames);
        var query = FunnelQuery.Default.Ordered(options.Window, options.Anchor)
            .WithStepWindows(options.StepWindows.IsEmpty ? Enumerable.Repeat<TimeSpan?>(null, definition.Stages.Length - 1) : options.StepWindows);
        var report = FunnelReport.Compute(definition, events, query);
        var crossChecked = false;
        if (options.Anchor == AnchorMode.First)
        {
            CrossCheck(bulk, report);
            crossChecked = true;
        }

        SegmentBreakdown? segments = null;
        EconomicsReport? economics = null;
        if (options.By is not null || options.Costs is not null)
        {
            var segmentKey = SegmentKey.EventSegmentNamed(options.By ?? data.SegmentColumn ?? SegmentKey.EventSegment.Name);
            segments = SegmentBreakdown.Compute(definition, events, segmentKey, query, options.MinimumLeads);
            if (options.Costs is not null)
            {
                // Costs are per source: the economics keep every source, also those merged into "(other)" for the tests.
                var sources = options.MinimumLeads == 0 ? segments : SegmentBreakdown.Compute(definition, events, segmentKey, query);
                var missing = sources.Segments.Select(s => s.Name).Where(n => !options.Costs.ContainsKey(n)).ToList();
                if (missing.Count > 0 && options.DefaultCosts is null)
                {
                    throw new CliException(
                        $"the costs file has no row for the source(s) {string.Join(", ", missing.Select(m => "'" + m + "'"))}; add them, or a row with source '*' for every other source.");
                }

                economics = EconomicsReport.FromBreakdown(sources, options.Costs, options.DefaultCosts);
            }
        }

        var cohorts = options.Cohort is { } period ? CohortReport.Compute(definition, events, period, query) : null;
        var forecast = options.Forecast ? MarkovForecast.Learn(definition, events, query) : null;
        return new AnalysisResult
        {
            InputPath = path,
            Definition = definition,
            Data = data,
            Options = options,
            Bulk = bulk,
            BulkSeconds = bulkSeconds,
            Report = report,
            ReportSeconds = clock.Elapsed.TotalSeconds,
            EnginesCrossChecked = crossChecked,
            Segments = segments,
            Cohorts = cohorts,
            Economics = economics,
            Forecast = forecast,
        };
    }

    /// <summary>
    /// Checks that the bulk engine and the metrics report agree on every number they share (the canonical semantics say
    /// they must). A difference is a bug in the library, reported with exit code 70.
    /// </summary>
    public static void CrossCheck(TransitionReport bulk, FunnelReport report)
    {
        Require(bulk.EntityCount == report.Leads, "the number of entities", bulk.EntityCount, report.Leads);
        Require(bulk.Reached.SequenceEqual(report.Reached), "the ordered window funnel (reached per stage)", string.Join(' ', bulk.Reached), string.Join(' ', report.Reached));
        Require(bulk.Transitions.Counts.SequenceEqual(report.Transitions.Counts), "the transition matrix", bulk.Transitions.Total, report.Transitions.Total);
        Require(bulk.Losses.Counts.SequenceEqual(report.LossesByStage.Counts), "the losses by stage and reason", bulk.Losses.Total, report.LossesByStage.Total);
        var afterLoss = report.LossesAfterLoss.ByReason.Select(r => r.Count).ToArray();
        Require(bulk.LossesAfterLoss.SequenceEqual(afterLoss), "the losses after a loss", string.Join(' ', bulk.LossesAfterLoss), string.Join(' ', afterLoss));
        var unknown = report.LossesAtUnknownStage.ByReason.Select(r => r.Count).ToArray();
        Require(bulk.LossesAtUnknownStage.SequenceEqual(unknown), "the losses at an unknown stage", string.Join(' ', bulk.LossesAtUnknownStage), string.Join(' ', unknown));
        if (report.Definition.Outcome == OutcomeRule.LastStatus)
        {
            // Under "reached" the report's outcomes differ from the engine's last-status ones by design.
            Require(bulk.Won == report.Won && bulk.Lost == report.Lost, "the outcomes (won, lost)", $"{bulk.Won} won, {bulk.Lost} lost", $"{report.Won} won, {report.Lost} lost");
            var open = report.Stages.Select(s => s.Dropped + s.StillOpen).ToArray();
            Require(bulk.OpenAt.SequenceEqual(open), "the open leads per stage", string.Join(' ', bulk.OpenAt), string.Join(' ', open));
        }
        else
        {
            Require(bulk.Won == report.LastStatusWon, "the leads won after their last event", bulk.Won, report.LastStatusWon);
        }
        for (var k = 0; k <= bulk.TimeInStage.Length; k++)
        {
            var (b, m) = k < bulk.TimeInStage.Length ? (bulk.TimeInStage[k], report.Stages[k].TimeInStage) : (bulk.TimeAfterLoss, report.TimeAfterLoss);
            Require(
                b.Count == m.Count && b.TotalSeconds == m.TotalSeconds && b.MedianSeconds == m.MedianSeconds,
                k < bulk.TimeInStage.Length ? $"time in stage '{report.Stages[k].Stage.Key}'" : "the time after a loss",
                $"{b.Count} stays, {b.TotalSeconds} s, median {b.MedianSeconds} s",
                $"{m.Count} stays, {m.TotalSeconds} s, median {m.MedianSeconds} s");
        }
    }

    private static void Require<T>(bool agree, string what, T bulk, T report)
    {
        if (!agree)
        {
            throw new CliException(
                $"internal error: the bulk engine and the metrics report disagree on {what} (bulk: {bulk}; report: {report}). This is a bug in Funnel.Core; please report it with the input.",
                ExitCodes.InternalError);
        }
    }
}
