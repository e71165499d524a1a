using System.Text.RegularExpressions;
using Funnel.Core.Metrics;

namespace Funnel.Reporting.Tests.Html;

/// <summary>The funnel modes of issue 22 in the HTML report: time to convert with a chart per step, the median named, exclusions, optional and unordered steps.</summary>
public class HtmlFunnelModeTests
{
    [Fact]
    public void Build_TimeToConvert_HasTheTableAndAnAccessibleChartPerStepReached()
    {
        var html = new HtmlReportBuilder(ModeData.Report(FunnelQuery.Default.WithMedian(MedianKind.Interpolated))).Build();

        Assert.Contains("<h2>Time to convert</h2>", html, StringComparison.Ordinal);
        // Interest {1 h, 2 h}: mean and interpolated median 1 h 30 min, p90 2 h; from the previous step the same.
        Assert.Contains(
            "<tr><th scope=\"row\">Interest</th><td>2</td><td>1 h 30 min</td><td>1 h 30 min</td><td>2 h 0 min</td><td>1 h 30 min</td><td>1 h 30 min</td><td>2 h 0 min</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains(
            "<tr><th scope=\"row\">Action (purchase)</th><td>1</td><td>3 h 0 min</td><td>3 h 0 min</td><td>3 h 0 min</td><td>1 h 0 min</td><td>1 h 0 min</td><td>1 h 0 min</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">interpolated median</th>", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<svg [^>]*class=\"conversion-chart\""));
        foreach (var step in new[] { 1, 2, 3 })
        {
            Assert.Contains($"aria-labelledby=\"conversion-{step}-title conversion-{step}-desc\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("Median: interpolated (of an even count, the mean of the two middle values).", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_LowerMedian_IsNamedAndUsedForTimeInStage()
    {
        var html = new HtmlReportBuilder(ModeData.Report(FunnelQuery.Default)).Build();

        Assert.Contains("Median: lower (the middle value; of an even count, the lower of the two middle values, so always an observed duration).", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Interest</th><td>2</td><td>1 h 30 min</td><td>1 h 0 min</td><td>2 h 0 min</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Exclusion_StatesTheExcludedLeadsAndTheStep()
    {
        var query = FunnelQuery.Default.WithExclusions([FunnelExclusion.Loss(1, 3, "competitor")]);

        var html = new HtmlReportBuilder(ModeData.ReportWithAnExcludedLead(query)).Build();

        Assert.Contains(
            "Excluded: 1 lead, dropped by the exclusion steps (a loss (Chose a competitor) between Interest and Action (purchase)); they count in no stage&#39;s reached, but in the outcomes, losses and time in stage.",
            html,
            StringComparison.Ordinal);
        Assert.Contains("4 leads (1 excluded)", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Attention</th><td>3</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OptionalStep_IsTaggedInTheStageTable()
    {
        var html = new HtmlReportBuilder(ModeData.Report(FunnelQuery.Default.WithOptionalSteps(["desire"]))).Build();

        Assert.Contains("<tr><th scope=\"row\">Desire (added to cart) <span class=\"tag\">optional</span></th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Desire (added to cart) (optional)</th>", html, StringComparison.Ordinal); // time to convert
        Assert.Contains("Optional steps (a path may skip them): Desire (added to cart).", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Unordered_LabelsTheRowsAsStepsAndKeepsStagesForTheirOwnNumbers()
    {
        var html = new HtmlReportBuilder(ModeData.Report(FunnelQuery.Default.WithOrder(StepOrder.Unordered))).Build();

        Assert.Contains("<h2>Steps in any order</h2>", html, StringComparison.Ordinal);
        foreach (var (steps, reached) in new[] { ("1 step", 3), ("2 steps", 2), ("3 steps", 1), ("4 steps", 1) })
        {
            Assert.Contains($"<tr><th scope=\"row\">{steps}</th><td>{reached}</td>", html, StringComparison.Ordinal);
        }

        // The stage table keeps each stage's losses and time in stage, without the reached columns.
        Assert.Contains("<caption>Per stage: losses, not-closed leads and time in stage</caption>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<th scope=\"col\">Reached</th><th scope=\"col\">From previous</th><th scope=\"col\">From top</th><th scope=\"col\">Converted to next</th><th scope=\"col\">Lost</th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">2 steps</th><td>2</td><td>1 h 30 min</td>", html, StringComparison.Ordinal); // time to convert
        Assert.DoesNotContain("Time to convert into Interest", html, StringComparison.Ordinal);
        Assert.Contains("Time to convert into 2 steps", html, StringComparison.Ordinal);
    }
}
