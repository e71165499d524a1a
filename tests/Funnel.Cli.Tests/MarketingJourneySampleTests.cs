namespace Funnel.Cli.Tests;

/// <summary>
/// Runs samples/Funnel.Samples.MarketingJourney on the bundled data (samples/data) and checks its verdicts, which follow
/// from the data: the sources convert alike, and ads at 50 per lead work at a loss.
/// </summary>
public sealed class MarketingJourneySampleTests
{
    [Fact]
    public void MarketingJourney_BundledData_PrintsTheVerdictsAndWritesTheHtmlReport()
    {
        var html = Path.Combine(Path.GetTempPath(), $"marketing-journey-{Guid.NewGuid():N}.html");
        try
        {
            var run = CliRun.StartProgram(CliRun.Metadata("MarketingSamplePath"), Path.GetTempPath(), html);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("advocacy       Retention  Marketing  digital, word-of-mouth", run.Out, StringComparison.Ordinal);
            Assert.Contains("67,639 events of 20,000 leads", run.Out, StringComparison.Ordinal);
            Assert.Contains("ads         6,005 leads   620 sales  10.3% [9.6%, 11.1%]", run.Out, StringComparison.Ordinal);
            Assert.Contains("referral       19 leads     2 sales  10.5% [2.9%, 31.4%]", run.Out, StringComparison.Ordinal);
            Assert.Contains("not enough data (under 30 leads)", run.Out, StringComparison.Ordinal);
            Assert.Contains("ads vs organic: z = -0.72, p = 0.474", run.Out, StringComparison.Ordinal);
            Assert.Contains("ads: loses 19.03 per lead", run.Out, StringComparison.Ordinal);
            Assert.Contains("stop or fix", run.Out, StringComparison.Ordinal);
            Assert.Contains("email: earns 28.78 per lead", run.Out, StringComparison.Ordinal);
            Assert.Contains("2026-W14    439 leads", run.Out, StringComparison.Ordinal);
            Assert.Contains($"HTML report: {html}", run.Out, StringComparison.Ordinal);
            Assert.Contains("<h2>Economics</h2>", File.ReadAllText(html), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(html);
        }
    }
}
