namespace Funnel.Cli.Tests;

/// <summary>Runs samples/Funnel.Samples.BatchAnalysis on a small log (the default is 10M events) and checks what it prints.</summary>
public sealed class BatchAnalysisSampleTests
{
    [Fact]
    public void BatchAnalysis_SmallLog_PrintsEventsPerSecondAndTheFourOutputs()
    {
        var run = CliRun.StartProgram(CliRun.Metadata("BatchSamplePath"), Path.GetTempPath(), "20000");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Generated 67,639 events of 20,000 entities", run.Out, StringComparison.Ordinal);
        Assert.Contains("million events per second", run.Out, StringComparison.Ordinal);
        Assert.Contains("Ordered window funnel (30 days", run.Out, StringComparison.Ordinal);
        Assert.Contains("consecutive moves", run.Out, StringComparison.Ordinal);
        Assert.Contains("Time in stage", run.Out, StringComparison.Ordinal);
        Assert.Contains("slow-response", run.Out, StringComparison.Ordinal);
    }
}
