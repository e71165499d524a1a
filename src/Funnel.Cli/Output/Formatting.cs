using System.Globalization;
using Funnel.Core.Metrics;
using Funnel.Reporting;

namespace Funnel.Cli.Output;

/// <summary>Number formats shared by the table output (invariant culture).</summary>
internal static class Formatting
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    public static string Rate(Proportion p) =>
        !p.HasData ? ReportText.NotApplicable : string.Create(CultureInfo.InvariantCulture, $"{p.Value:0.0%} [{p.Interval.Lower:0.0%}, {p.Interval.Upper:0.0%}]{(p.IsSmallSample ? " *" : "")}");

    public static string Money(decimal value) => value.ToString(Math.Abs(value) >= 1000 ? "N0" : "N2", CultureInfo.InvariantCulture);

    public static string Money(decimal? value) => value is { } v ? Money(v) : ReportText.NotApplicable;

    /// <summary>A duration for people, in its two largest units: <c>1 d 0 h</c>, <c>16 h 54 min</c> (the HTML report's words).</summary>
    public static string Duration(double seconds) => ReportText.Duration(seconds);

    /// <summary>The median, mean or p90 of stays: "–" when there was no stay (not applicable), otherwise <see cref="Duration"/>.</summary>
    public static string StayDuration(long stays, double seconds) => stays == 0 ? ReportText.NotApplicable : Duration(seconds);

    /// <summary>The first and last timestamps of the log in UTC: <c>2026-01-01 00:02 UTC to 2026-04-05 13:10 UTC</c>.</summary>
    public static string Period(Funnel.Core.Bulk.TransitionLog log)
    {
        var (first, last) = (long.MaxValue, long.MinValue);
        foreach (var t in log.Timestamps)
        {
            (first, last) = (Math.Min(first, t), Math.Max(last, t));
        }

        return log.Count == 0 ? "no events"
            : $"{ReportText.Timestamp(DateTimeOffset.FromUnixTimeSeconds(first))} to {ReportText.Timestamp(DateTimeOffset.FromUnixTimeSeconds(last))}";
    }

    /// <summary>
    /// The skipped-row statement of a report: <c>Skipped 3 of 12 rows of events.csv as bad (stage 1, timestamp 1,
    /// (whole row) 1); they are in none of the numbers.</c>, or that every row was read.
    /// </summary>
    public static string SkippedRows(Analysis.AnalysisResult result)
    {
        var data = result.Data;
        var file = Path.GetFileName(result.InputPath);
        if (data.BadRows == 0)
        {
            return $"All {Count(data.RowsRead)} rows of {file} were read; none was skipped.";
        }

        var columns = string.Join(", ", data.BadRowsByColumn.Select(c => $"{c.Column} {Count(c.Rows)}"));
        return $"Skipped {Count(data.BadRows)} of {Count(data.RowsRead)} rows of {file} as bad{(columns.Length == 0 ? "" : $" ({columns})")}; they are in none of the numbers of this report.";
    }

    public static string PValue(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Window(TimeSpan? window) => window is { } w ? Duration(w.TotalSeconds) : "none (unbounded)";

    /// <summary>The per-step windows as <c> · step windows proposal 2d, invoice none</c> for the stages after the first, or empty when no step is limited.</summary>
    public static string StepWindows(Analysis.AnalysisResult result) =>
        result.Options.StepWindows.IsEmpty
            ? string.Empty
            : " · step windows " + string.Join(", ", result.Options.StepWindows.Select((w, k) => $"{result.Definition.Stages[k + 1].DisplayName} {(w is { } x ? Duration(x.TotalSeconds) : "none")}"));

    /// <summary>An exclusion step as <c>--exclude</c> takes it, with stage keys: <c>demo@interest-action</c>, <c>lost:competitor@interest-action</c>.</summary>
    public static string Exclusion(Funnel.Core.FunnelDefinition definition, FunnelExclusion exclusion) =>
        $"{(exclusion.IsLoss ? exclusion.LossReasonKey is null ? "lost" : "lost:" + exclusion.LossReasonKey : exclusion.StageKey)}@{definition.Stages[exclusion.FromStep].Key}-{definition.Stages[exclusion.ToStep].Key}";

    /// <summary>
    /// The funnel modes beyond the defaults as <c> · order strict · exclude demo@interest-action · optional demo</c>,
    /// or empty for an ordered funnel without exclusions or optional steps.
    /// </summary>
    public static string Modes(Analysis.AnalysisResult result)
    {
        var options = result.Options;
        var text = new System.Text.StringBuilder();
        if (options.Order != StepOrder.Ordered)
        {
            text.Append(" · order ").Append(options.Order == StepOrder.Strict ? "strict" : "unordered");
        }

        if (!options.Exclusions.IsEmpty)
        {
            text.Append(" · exclude ").Append(string.Join(", ", options.Exclusions.Select(e => Exclusion(result.Definition, e))));
        }

        if (!options.OptionalSteps.IsEmpty)
        {
            text.Append(" · optional ").Append(string.Join(", ", options.OptionalSteps));
        }

        return text.ToString();
    }

    /// <summary>
    /// A test of difference as text, naming its method: <c>chi-square 4.12, df 2, p 0.1274</c>, or for small samples
    /// <c>Fisher's exact test, p 0.4857 (small sample: 4 of 4 expected counts below 5)</c> and <c>Monte-Carlo
    /// permutation test (10,000 tables, seed 20231), p 0.0770 (small sample: ...)</c> (issue 23).
    /// </summary>
    public static string Test(TestResult test)
    {
        var method = test.Method switch
        {
            TestMethod.FisherExact => "Fisher's exact test",
            TestMethod.MonteCarloPermutation => $"Monte-Carlo permutation test ({Count(test.Iterations)} tables, seed {test.Seed?.ToString(CultureInfo.InvariantCulture)})",
            TestMethod.ZTest => string.Create(CultureInfo.InvariantCulture, $"z-test, z {test.Statistic:0.00}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"chi-square {test.Statistic:0.00}, df {test.DegreesOfFreedom}"),
        };
        return $"{method}, p {PValue(test.PValue)}{SmallSample(test)}";
    }

    /// <summary>The small-sample flag of a test: <c> (small sample: 14 of 28 expected counts below 5)</c>, or empty.</summary>
    public static string SmallSample(TestResult test) =>
        test.IsSmallSample ? $" (small sample: {Count(test.SmallExpectedCells)} of {Count(test.Cells)} expected counts below 5)" : string.Empty;

    /// <summary>The win rate with its interval, or <c>100.0% (no losses recorded)</c> when no loss was recorded: the interval would hide that the losses are unknown.</summary>
    public static string WinRate(FunnelReport report) =>
        report.NoLossesRecorded ? (report.WinRate.HasData ? Percent(report.WinRate.Value) + " " : string.Empty) + "(no losses recorded)" : Rate(report.WinRate);
}
