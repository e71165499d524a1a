using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <summary>
/// Builds a self-contained HTML report of a <see cref="FunnelReport"/>: the funnel chart, the per-stage table with
/// confidence intervals, losses by reason and, when given, the segment comparison with significance flags, cohorts,
/// economics and the forecast. The page has no scripts and loads no fonts, styles or images from elsewhere.
/// </summary>
/// <remarks>
/// A builder is single-use and not thread-safe; <see cref="Build"/> may be called once. Every number is
/// culture-invariant; rates resting on fewer trials than the query's minimum sample are flagged, so noise is not
/// presented as fact.
/// </remarks>
/// <example>
/// <code>
/// string html = new HtmlReportBuilder(report)
///     .WithSegments(SegmentBreakdown.Compute(definition, journeys, SegmentKey.Attribute("source")))
///     .WithEconomics(economics)
///     .Build();
/// File.WriteAllText("funnel.html", html);
/// </code>
/// </example>
public sealed class HtmlReportBuilder
{
    private readonly FunnelReport _report;
    private string? _title;
    private SegmentBreakdown? _segments;
    private CohortReport? _cohorts;
    private EconomicsReport? _economics;
    private MarkovForecast? _forecast;
    private string[]? _dataQuality;
    private DataQualityReport? _quality;
    private bool _built;

    /// <summary>Starts a report.</summary>
    /// <param name="report">The funnel report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder(FunnelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _report = report;
    }

    /// <summary>Sets the page title. Defaults to "&lt;definition name&gt; funnel report".</summary>
    /// <param name="title">The title.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="title"/> is blank.</exception>
    public HtmlReportBuilder WithTitle(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        _title = title;
        return this;
    }

    /// <summary>Adds the segment comparison: conversion per segment with intervals, and chi-square tests between segments.</summary>
    /// <param name="segments">The breakdown.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="segments"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder WithSegments(SegmentBreakdown segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        _segments = segments;
        return this;
    }

    /// <summary>Adds the cohorts by entry period, with the trend and the homogeneity test.</summary>
    /// <param name="cohorts">The cohort report.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cohorts"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder WithCohorts(CohortReport cohorts)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        _cohorts = cohorts;
        return this;
    }

    /// <summary>Adds the economics per source: spend, cost per lead and per sale, profit, ROMI and the verdict.</summary>
    /// <param name="economics">The economics report.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="economics"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder WithEconomics(EconomicsReport economics)
    {
        ArgumentNullException.ThrowIfNull(economics);
        _economics = economics;
        return this;
    }

    /// <summary>Adds the forecast: per stage, the learned probability to win and the expected time to close.</summary>
    /// <param name="forecast">The forecast.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="forecast"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder WithForecast(MarkovForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        _forecast = forecast;
        return this;
    }

    /// <summary>
    /// Adds a "Data quality" section right under the summary: what the reader of the numbers must know about the input
    /// they were computed from, one finding a line — such as how many rows of an export were skipped as bad and
    /// why. With no findings the section says that none were found.
    /// </summary>
    /// <param name="findings">The findings, as plain text (escaped on output).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="findings"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A finding is blank.</exception>
    public HtmlReportBuilder WithDataQuality(IEnumerable<string> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings.ToArray();
        foreach (var finding in list)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(finding, nameof(findings));
        }

        _dataQuality = list;
        return this;
    }

    /// <summary>
    /// Adds the library's data-quality checks of the event log to the "Data quality" section (after any findings given
    /// to <see cref="WithDataQuality(IEnumerable{string})"/>): the moves the definition does not allow, with the most
    /// frequent pairs, and the events dated before their lead entered the funnel (<see cref="ReportText.DataQuality"/>).
    /// </summary>
    /// <param name="quality">The findings, computed from the same log as the report.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="quality"/> is <see langword="null"/>.</exception>
    public HtmlReportBuilder WithDataQuality(DataQualityReport quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        _quality = quality;
        return this;
    }

    /// <summary>Renders the page.</summary>
    /// <returns>The HTML document.</returns>
    /// <exception cref="InvalidOperationException">The builder has already built a page.</exception>
    public string Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a report; builders are single-use.");
        }

        _built = true;
        var r = _report;
        var title = _title ?? $"{r.Definition.DisplayName} funnel report";
        var level = Format.Number(r.Query.ConfidenceLevel * 100) + "%";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Format.Escape(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");
        html.Append("<h1>").Append(Format.Escape(title)).Append("</h1>\n");
        html.Append("<p class=\"summary\">").Append(Format.Escape(FunnelChart.Summary(r)));
        if (r.AsOf is { } asOf)
        {
            html.Append(" · as of ").Append(ReportText.Timestamp(asOf));
        }

        html.Append(". Win rate (won of closed): ").Append(r.WinRate.HasData ? Format.Percent(r.WinRate.Value) + " " : string.Empty)
            .Append(r.NoLossesRecorded ? "<span class=\"flag\">no losses recorded</span>" : "(" + Format.Interval(r.WinRate) + ")").Append(".</p>\n");
        if (r.OutcomeRulesDiffer)
        {
            // Both counts, labelled with the rule each follows (issue 23).
            html.Append("<p>Won ").Append(Format.Count(r.Won)).Append(r.Definition.Outcome == OutcomeRule.Reached ? " (outcome: reached the goal); " : " (outcome: status after the last event); ")
                .Append(Format.Count(r.Definition.Outcome == OutcomeRule.Reached ? r.LastStatusWon : r.EverWon))
                .Append(r.Definition.Outcome == OutcomeRule.Reached ? " after their last event (last-status).</p>\n" : " reached the goal at some time (reached).</p>\n");
        }

        if (_dataQuality is not null || _quality is not null)
        {
            AppendDataQuality(html, [.. _dataQuality ?? [], .. _quality is null ? [] : ReportText.DataQuality(_quality)]);
        }

        html.Append("<section aria-label=\"Funnel chart\">\n").Append(FunnelChart.RenderSvg(r)).Append("</section>\n");
        if (r.IsUnordered)
        {
            AppendSteps(html, r, level);
        }

        AppendStages(html, r, level);
        AppendConversionTimes(html, r);
        AppendLosses(html, r);
        if (_segments is not null)
        {
            AppendSegments(html, _segments, level);
        }

        if (_cohorts is not null)
        {
            AppendCohorts(html, _cohorts, level);
        }

        if (_economics is not null)
        {
            AppendEconomics(html, _economics);
        }

        if (_forecast is not null)
        {
            AppendForecast(html, _forecast, r);
        }

        html.Append(CultureInfo.InvariantCulture, $"<footer>Intervals are Wilson score intervals at {level}; rates on fewer than {r.Query.MinimumSample} leads are marked <span class=\"flag\">small sample</span>. Differences are flagged significant at p &lt; 0.05 (chi-square where Cochran's rule allows it, otherwise Fisher's exact or a Monte-Carlo permutation test). Generated by Funnel.Reporting.</footer>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendDataQuality(StringBuilder html, string[] findings)
    {
        html.Append("<section aria-labelledby=\"data-quality\">\n<h2 id=\"data-quality\">Data quality</h2>\n");
        if (findings.Length == 0)
        {
            html.Append("<p>No problem found in the input.</p>\n");
        }
        else
        {
            html.Append("<ul>\n");
            foreach (var finding in findings)
            {
                html.Append("<li>").Append(Format.Escape(finding)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>An unordered funnel's rows: "1 step, 2 steps, …", whichever stages they were (the stage table then keeps only the numbers of each stage).</summary>
    private static void AppendSteps(StringBuilder html, FunnelReport r, string level)
    {
        html.Append("<h2>Steps in any order</h2>\n<table>\n<caption>Leads that entered 1, 2, … distinct stages of the funnel within the window, in any order, with ").Append(level).Append(" confidence intervals</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">Steps</th><th scope=\"col\">Reached</th><th scope=\"col\">From previous</th><th scope=\"col\">From top</th><th scope=\"col\">Converted to next</th></tr></thead>\n<tbody>\n");
        for (var k = 0; k < r.Stages.Length; k++)
        {
            var s = r.Stages[k];
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(ReportText.StepName(r, k))).Append("</th><td>").Append(Format.Count(s.Reached)).Append("</td><td>")
                .Append(k == 0 ? ReportText.NotApplicable : Rate(s.ConversionFromPrevious)).Append("</td><td>").Append(s.ConversionFromTop is { } top ? Rate(top) : "–")
                .Append("</td><td>").Append(k == r.Stages.Length - 1 ? ReportText.NotApplicable : Format.Count(s.ConvertedToNext)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendStages(StringBuilder html, FunnelReport r, string level)
    {
        // An unordered funnel's reached rows are steps, not stages (AppendSteps): the stage table keeps the rest.
        var reached = !r.IsUnordered;
        html.Append("<h2>Stages</h2>\n<table>\n<caption>").Append(reached ? "Per stage: leads reached, conversions with " + level + " confidence intervals, losses and time in stage" : "Per stage: losses, not-closed leads and time in stage").Append("</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">Stage</th>");
        if (reached)
        {
            html.Append("<th scope=\"col\">Reached</th><th scope=\"col\">From previous</th><th scope=\"col\">From top</th><th scope=\"col\">Converted to next</th>");
        }

        html.Append("<th scope=\"col\">Lost</th><th scope=\"col\">Not closed: dropped</th><th scope=\"col\">Not closed: active</th><th scope=\"col\">Median time in stage</th></tr></thead>\n<tbody>\n");
        for (var k = 0; k < r.Stages.Length; k++)
        {
            var s = r.Stages[k];
            var kind = Format.KindLabel(s.Stage.Kind);
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(s.Stage.DisplayName));
            if (kind.Length > 0)
            {
                html.Append(" <span class=\"tag\">").Append(kind).Append("</span>");
            }

            if (ReportText.IsOptional(r, k))
            {
                html.Append(" <span class=\"tag\">optional</span>");
            }

            // "–" where a number cannot apply: the first stage has no previous one, the last no next one, and a lead at
            // or past the goal is won, so it is never dropped or active.
            var (first, last, won) = (s.Stage.Order == 0, s.Stage.Order == r.Stages.Length - 1, s.Stage.Order >= r.Definition.GoalStage.Order);
            html.Append("</th>");
            if (reached)
            {
                html.Append("<td>").Append(Format.Count(s.Reached)).Append("</td><td>").Append(first ? ReportText.NotApplicable : Rate(s.ConversionFromPrevious)).Append("</td><td>")
                    .Append(s.ConversionFromTop is { } top ? Rate(top) : "–").Append("</td><td>").Append(last ? ReportText.NotApplicable : Format.Count(s.ConvertedToNext)).Append("</td>");
            }

            html.Append("<td>").Append(Format.Count(s.Losses.Total)).Append("</td><td>").Append(won ? ReportText.NotApplicable : Format.Count(s.Dropped))
                .Append("</td><td>").Append(won ? ReportText.NotApplicable : Format.Count(s.StillOpen)).Append("</td><td>")
                .Append(s.TimeInStage.Count == 0 ? "–" : ReportText.Duration(s.TimeInStage.MedianOf(r.Query.Median)) + $" <span class=\"muted\">(n = {Format.Count(s.TimeInStage.Count)})</span>")
                .Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        var modes = ReportText.FunnelModes(r);
        html.Append("<p class=\"legend\">").Append(Format.Escape(ReportText.NotClosedLegend(r.Query))).Append(" – means not applicable. ")
            .Append(Format.Escape(ReportText.MedianLegend(r.Query.Median))).Append(modes.Length == 0 ? string.Empty : " " + Format.Escape(modes)).Append("</p>\n");
    }

    /// <summary>The time to convert into each step (from the anchor and from the previous step), with a histogram chart per step.</summary>
    private static void AppendConversionTimes(StringBuilder html, FunnelReport r)
    {
        if (r.Query.Reach != ReachMode.OrderedWindow || r.ConversionTimes.IsEmpty)
        {
            return;
        }

        var median = r.Query.Median == MedianKind.Interpolated ? "interpolated median" : "median";
        html.Append("<h2>Time to convert</h2>\n<table>\n<caption>Per step, over the leads whose counted attempt reached it: the time from the anchor (the entry that started the attempt) and from the previous step reached</caption>\n");
        html.Append("<thead><tr><th scope=\"col\" rowspan=\"2\">Step</th><th scope=\"col\" rowspan=\"2\">Leads</th><th scope=\"colgroup\" colspan=\"3\">From the anchor</th><th scope=\"colgroup\" colspan=\"3\">From the previous step</th></tr>\n");
        html.Append("<tr><th scope=\"col\">Mean</th><th scope=\"col\">").Append(median).Append("</th><th scope=\"col\">p90</th><th scope=\"col\">Mean</th><th scope=\"col\">").Append(median).Append("</th><th scope=\"col\">p90</th></tr></thead>\n<tbody>\n");
        foreach (var time in r.ConversionTimes)
        {
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(ReportText.StepName(r, time.Step))).Append("</th><td>").Append(Format.Count(time.FromAnchor.Count)).Append("</td>");
            foreach (var summary in new[] { time.FromAnchor, time.FromPrevious })
            {
                html.Append("<td>").Append(Duration(summary, summary.MeanSeconds)).Append("</td><td>").Append(Duration(summary, summary.MedianSecondsOf(r.Query.Median)))
                    .Append("</td><td>").Append(Duration(summary, summary.P90Seconds)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<div class=\"charts\">\n");
        foreach (var time in r.ConversionTimes.Where(t => t.FromAnchor.Count > 0))
        {
            html.Append("<figure>").Append(ConversionTimeChart.RenderSvg(r, time.Step)).Append("</figure>\n");
        }

        html.Append("</div>\n<p class=\"legend\">").Append(Format.Escape(ReportText.MedianLegend(r.Query.Median)))
            .Append(" p90: the time within which 90% of the leads converted (nearest rank). A chart per step that some lead reached.</p>\n");

        static string Duration(DurationSummary summary, double seconds) => summary.Count == 0 ? ReportText.NotApplicable : ReportText.Duration(seconds);
    }

    private static void AppendLosses(StringBuilder html, FunnelReport r)
    {
        html.Append("<h2>Losses by reason</h2>\n");
        if (r.Losses.Total == 0)
        {
            html.Append("<p>No lead was lost.</p>\n");
            return;
        }

        html.Append("<table>\n<caption>Every loss, by reason, and whether the lead can still be won back</caption>\n<thead><tr><th scope=\"col\">Reason</th><th scope=\"col\">Lost</th><th scope=\"col\">Share</th><th scope=\"col\">Recoverable</th></tr></thead>\n<tbody>\n");
        foreach (var reason in r.Losses.ByReason.Where(x => x.Count > 0).OrderByDescending(x => x.Count))
        {
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(reason.Reason.DisplayName)).Append("</th><td>").Append(Format.Count(reason.Count))
                .Append("</td><td>").Append(Format.Percent((double)reason.Count / r.Losses.Total)).Append("</td><td>")
                .Append(reason.Reason.IsRecoverable ? "yes (retarget)" : "no").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");

        // Losses at no stage are in the total above but in no stage's Lost column: say so, so that the numbers add up.
        var (afterLoss, unknown) = (r.LossesAfterLoss.Total, r.LossesAtUnknownStage.Total);
        if (afterLoss + unknown > 0)
        {
            html.Append("<p>").Append(Format.Count(afterLoss + unknown)).Append(" of these losses happened at no stage and are not in the stages' Lost column: ")
                .Append(Format.Count(afterLoss)).Append(" after an earlier loss, ")
                .Append(Format.Count(unknown)).Append(" as the lead's first event (stage unknown).</p>\n");
        }
    }

    private static void AppendSegments(StringBuilder html, SegmentBreakdown segments, string level)
    {
        var overall = segments.CompareOverallConversion();
        html.Append("<h2>Conversion by ").Append(Format.Escape(segments.Key.Name)).Append("</h2>\n");
        html.Append("<p>Overall conversion differs between segments: ").Append(Significance(overall)).Append("</p>\n");
        if (!segments.MergedSegments.IsEmpty)
        {
            html.Append("<p>").Append(Format.Count(segments.MergedSegments.Length)).Append(" segments with fewer than ").Append(Format.Count(segments.MinimumLeads))
                .Append(" leads were merged into ").Append(Format.Escape(SegmentBreakdown.OtherLabel)).Append(": ").Append(Format.Escape(string.Join(", ", segments.MergedSegments))).Append(".</p>\n");
        }

        html.Append("<table>\n<caption>Conversion per segment with ").Append(level).Append(" confidence intervals</caption>\n<thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Leads</th><th scope=\"col\">Won</th><th scope=\"col\">Lost</th><th scope=\"col\">Overall conversion</th></tr></thead>\n<tbody>\n");
        foreach (var segment in segments.Segments)
        {
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(segment.Name)).Append(segment.IsOther ? $" <span class=\"muted\">({segment.Members.Length} small segments)</span>" : string.Empty)
                .Append("</th><td>").Append(Format.Count(segment.Report.Leads)).Append("</td><td>").Append(Format.Count(segment.Report.Won))
                .Append("</td><td>").Append(Format.Count(segment.Report.Lost)).Append("</td><td>").Append(Rate(segment.Report.OverallConversion)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<table>\n<caption>Does the conversion into each stage differ between segments? (chi-square over all segments, or an exact or permutation test for small samples)</caption>\n<thead><tr><th scope=\"col\">Stage</th><th scope=\"col\">p-value</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n");
        foreach (var stage in segments.Total.Definition.Stages.Skip(1))
        {
            var test = segments.CompareConversion(stage.Key);
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(stage.DisplayName)).Append("</th><td>").Append(Format.PValue(test.PValue))
                .Append("</td><td>").Append(Verdict(test)).Append(SmallSampleFlag(test)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendCohorts(StringBuilder html, CohortReport cohorts, string level)
    {
        html.Append("<h2>Cohorts by ").Append(cohorts.Period == CohortPeriod.IsoWeek ? "ISO week" : cohorts.Period.ToString().ToLowerInvariant()).Append(" of entry (UTC)</h2>\n<p>");
        if (cohorts.TrendPerPeriod is { } trend)
        {
            html.Append("Trend: ").Append(trend >= 0 ? "+" : "−").Append(Format.Number(Math.Abs(trend) * 100)).Append(" percentage points per period. ");
        }

        html.Append("Cohorts differ: ").Append(Significance(cohorts.Homogeneity)).Append("</p>\n");
        html.Append("<table>\n<caption>Overall conversion per cohort with ").Append(level).Append(" confidence intervals</caption>\n<thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Leads</th><th scope=\"col\">Won</th><th scope=\"col\">Conversion</th></tr></thead>\n<tbody>\n");
        foreach (var cohort in cohorts.Cohorts)
        {
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(cohort.Label)).Append("</th><td>").Append(Format.Count(cohort.Report.Leads))
                .Append("</td><td>").Append(Format.Count(cohort.Report.Won)).Append("</td><td>").Append(Rate(cohort.Conversion)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendEconomics(StringBuilder html, EconomicsReport economics)
    {
        html.Append("<h2>Economics</h2>\n<table>\n<caption>Spend, cost per lead and per sale, profit and return on marketing investment per source</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Leads</th><th scope=\"col\">Sales</th><th scope=\"col\">Spend</th><th scope=\"col\">Cost per lead</th><th scope=\"col\">Cost per sale</th><th scope=\"col\">Margin</th><th scope=\"col\">Profit</th><th scope=\"col\">ROMI</th><th scope=\"col\">Break-even conversion</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n");
        foreach (var source in economics.Sources.Append(economics.Overall))
        {
            var loss = source.Profit < 0;
            html.Append(loss ? "<tr class=\"loss\">" : "<tr>").Append("<th scope=\"row\">").Append(Format.Escape(source.Source)).Append("</th><td>").Append(Format.Count(source.Leads))
                .Append("</td><td>").Append(Format.Count(source.Sales)).Append("</td><td>").Append(Format.Money(source.Spend))
                .Append("</td><td>").Append(Format.Money(source.CostPerLead)).Append("</td><td>").Append(Format.Money(source.CostPerAcquisition))
                .Append("</td><td>").Append(Format.Money(source.Margin)).Append("</td><td>").Append(Format.Money(source.Profit)).Append(loss ? " (loss)" : string.Empty)
                .Append("</td><td>").Append(source.Romi is { } romi ? Format.Percent((double)romi) : "–")
                .Append("</td><td>").Append(source.BreakEvenConversion is { } be ? Format.Percent((double)be) : "–")
                .Append("</td><td>").Append(Format.Escape(SplitWords(source.Verdict.ToString()))).Append(source.IsConclusive ? string.Empty : " <span class=\"flag\">not conclusive</span>")
                .Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<p>Cost per sale and ROMI count the cost of every lead and the sales recorded by the as-of time; leads with no known outcome yet (open: ").Append(Format.Count(economics.Overall.OpenLeads))
            .Append(", of which silent: ").Append(Format.Count(economics.Overall.SilentLeads)).Append(") count as leads without a sale.</p>\n");
    }

    private static void AppendForecast(StringBuilder html, MarkovForecast forecast, FunnelReport r)
    {
        // Two different numbers answer two different questions; name the method and the population of each (issue 19).
        html.Append("<h2>Forecast</h2>\n<ul class=\"methods\">\n<li><strong>Observed conversion</strong> (")
            .Append(Format.Percent(r.OverallConversion.Value)).Append("): counted, not estimated — the leads won after their last event, out of all ")
            .Append(Format.Count(r.Leads)).Append(" leads of the report, not-closed leads included as not won.</li>\n")
            .Append("<li><strong>Forecast win probability</strong> (per stage below): estimated by an absorbing Markov chain learned from the ")
            .Append(Format.Count(forecast.Stages.Sum(s => s.ObservedMoves))).Append(" observed moves out of the stages before the goal (of closed and not-closed leads alike); ")
            .Append("for a lead now at the stage, the chance that it ends won if its next moves follow the observed frequencies; leads idle past the stage's silence threshold count as gone silent, leads still inside it are censored.</li>\n</ul>\n<table>\n<caption>Learned from the observed moves: probability to win, to go silent (idle past the stage's silence threshold) and expected time until won, lost or silent, from the stays of the leads that moved on, closed or went silent (leads still open inside the threshold are censored)</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">Stage</th><th scope=\"col\">Observed moves</th><th scope=\"col\">Censored</th><th scope=\"col\">Win probability</th><th scope=\"col\">Silent</th><th scope=\"col\">Configured</th><th scope=\"col\">Expected time to close</th></tr></thead>\n<tbody>\n");
        foreach (var stage in forecast.Stages)
        {
            html.Append("<tr><th scope=\"row\">").Append(Format.Escape(stage.Stage.DisplayName)).Append("</th><td>").Append(Format.Count(stage.ObservedMoves))
                .Append("</td><td>").Append(Format.Count(stage.CensoredLeads)).Append("</td><td>");
            if (stage.IsSufficient)
            {
                html.Append(Format.Percent(stage.WinProbability)).Append("</td><td>").Append(Format.Percent(stage.SilentProbability));
            }
            else
            {
                html.Append("<span class=\"flag\">insufficient data</span> <span class=\"muted\">").Append(Format.Escape(stage.InsufficientDataReason!)).Append("</span></td><td>–");
            }

            html.Append("</td><td>").Append(stage.ConfiguredProbability is { } configured ? Format.Percent(configured) : "–")
                .Append("</td><td>").Append(stage.IsSufficient ? ReportText.Duration(stage.ExpectedTimeToClose) : "–").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string Rate(Proportion p)
    {
        if (!p.HasData)
        {
            return "<span class=\"muted\">no data</span>";
        }

        var text = $"{Format.Percent(p.Value)} <span class=\"ci\">({Format.Interval(p)})</span> <span class=\"muted\">{Format.Count(p.Successes)} of {Format.Count(p.Trials)}</span>";
        return p.IsSmallSample ? text + " <span class=\"flag\">small sample</span>" : text;
    }

    private static string Significance(TestResult test) =>
        $"{Verdict(test)} ({test.Method switch
        {
            TestMethod.FisherExact => "Fisher's exact test",
            TestMethod.MonteCarloPermutation => $"Monte-Carlo permutation test, {Format.Count(test.Iterations)} tables, seed {test.Seed}",
            _ => $"χ² = {Format.Number(test.Statistic)}, df = {test.DegreesOfFreedom}",
        }}, p {(test.PValue < 0.001 ? "" : "= ")}{Format.PValue(test.PValue)}){SmallSampleFlag(test)}.";

    private static string SmallSampleFlag(TestResult test) =>
        test.IsSmallSample ? $" <span class=\"flag\">small sample: {test.SmallExpectedCells} of {test.Cells} expected counts below 5</span>" : string.Empty;

    private static string Verdict(TestResult test) =>
        test.DegreesOfFreedom == 0 ? "<span class=\"muted\">not testable</span>"
        : test.IsSignificant() ? "<strong class=\"sig\">✔ significant</strong>"
        : "<span class=\"muted\">not significant (could be noise)</span>";

    private static string SplitWords(string pascal)
    {
        var text = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(text.Length == 0 ? c : char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; background: #f8fafc; color: #111827; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1160px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; }
        .summary { color: #374151; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        .charts figure { margin: 0; }
        .charts svg { max-width: 100%; height: auto; background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; }
        section svg { max-width: 100%; height: auto; background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; background: #fff; margin: 8px 0 16px; font-size: 14px; }
        caption { text-align: left; color: #374151; padding: 4px 0; font-style: italic; }
        th, td { border: 1px solid #e5e7eb; padding: 6px 8px; text-align: right; vertical-align: top; }
        th[scope=row], thead th:first-child { text-align: left; }
        thead th { background: #f1f5f9; }
        .tag { font-size: 11px; font-weight: 600; border: 1px solid #92400e; border-radius: 3px; padding: 0 4px; color: #92400e; }
        .ci, .muted { color: #4b5563; font-size: 12px; }
        .flag { font-size: 11px; font-weight: 600; color: #7c2d12; background: #ffedd5; border-radius: 3px; padding: 0 4px; }
        .sig { color: #166534; }
        tr.loss td { background: #fef2f2; }
        .legend { color: #374151; font-size: 13px; }
        footer { margin-top: 32px; color: #4b5563; font-size: 13px; }

        """;
}
